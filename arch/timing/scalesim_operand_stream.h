// SCALE-Sim v2's read operands as one prefetch stream each, and every demand row as a slice of it.
//
// compute/systolic_compute_{os,ws,is}.py build, per read operand, a prefetch matrix P of `blocks`
// stacked blocks of block_rows x width, element (b*block_rows + q, c) = operand(b*width + c, q) when
// b*width + c < spatial_limit, else -1 (the padded columns of a partial fold). The read buffer walks
// P row-major, or, where create_*_prefetch_mat() reorders it, anti-diagonal by anti-diagonal (rows
// descending within a diagonal). Operand matrices: ifmap(px, w) is the im2col address of
// operand_matrix.calc_ifmap_elem_addr (-1 past the edge), filter(w, f) = f*window + w.
//   OS: ifmap  P = ifmap^T by row folds, width H, diagonal;  filter P = filter by column folds, W, diagonal
//   WS: ifmap  P = ifmap by row folds, width H, diagonal;    filter P = filter by column folds, W, row-major
//   IS: ifmap  P = ifmap^T by column folds, W, row-major;    filter P = filter^T by row folds, H, diagonal
// The demand matrices of fold (col fold fc, row fold fr) are, per cycle t of its L rows:
//   skewed (diagonal P, block b, `pre` idle rows first): row t holds P(b*R + t - pre - c, c) for the
//     columns c with 0 <= t - pre - c < R: exactly anti-diagonal b*R + t - pre of P, fold part only,
//     in stream order, so a contiguous slice of the stream;
//   direct (row-major P, block b, H rows flipped): row t < H holds P row b*R + fr*H + H-1-t when that
//     is below R, a contiguous slice; rows t >= H are idle.
// OS ifmap skewed b = fr, pre 0; OS filter skewed b = fc, pre 0; WS ifmap skewed b = fr, pre H;
// WS filter direct b = fc; IS ifmap direct b = fc; IS filter skewed b = fr, pre H.
#pragma once

#include <cstdint>
#include <vector>

#include "arch/timing/scalesim_memory_types.h"

namespace npusim {

enum class ScaleSimOperand : uint8_t { kIfmap, kFilter };

struct ScaleSimStreamSlice {
  uint64_t begin = 0, end = 0;  // stream positions [begin, end)
};

class ScaleSimOperandStream {
 public:
  ScaleSimOperandStream(const ScaleSimMemorySetup& setup, const ScaleSimLayerShape& shape, ScaleSimOperand operand);

  // Stream element at `pos`: address index (offset removed) or -1.
  int64_t address(uint64_t pos) const { return addresses_[pos]; }
  // Valid (non -1) elements before `pos`.
  uint64_t valid_before(uint64_t pos) const { return valid_before_[pos]; }
  uint64_t size() const { return addresses_.size(); }
  uint64_t address_count() const { return address_count_; }  // addresses are 0 .. address_count-1

  // Demand row t of the fold (col_fold, row_fold).
  ScaleSimStreamSlice demand_row(uint64_t col_fold, uint64_t row_fold, uint64_t t) const;

 private:
  int64_t element(uint64_t row, uint64_t col) const;
  int64_t operand_address(uint64_t spatial, uint64_t temporal) const;
  void build_stream();

  ScaleSimLayerShape shape_;
  ScaleSimOperand operand_;
  Dataflow dataflow_;
  uint64_t array_rows_ = 1;
  uint64_t ofmap_w_ = 1, window_ = 1;
  uint64_t blocks_ = 1, block_rows_ = 1, width_ = 1, spatial_limit_ = 1;
  bool diagonal_ = true;
  bool block_is_col_fold_ = false;
  uint64_t pre_ = 0;
  uint64_t address_count_ = 0;
  std::vector<int32_t> addresses_;
  std::vector<uint32_t> valid_before_;   // size() + 1 entries
  std::vector<uint64_t> diagonal_start_; // first stream position of each anti-diagonal
};

}  // namespace npusim
