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

#include <algorithm>
#include <cstdint>
#include <vector>

#include "arch/timing/scalesim_memory_types.h"

namespace npusim {

enum class ScaleSimOperand : uint8_t { kIfmap, kFilter };

struct ScaleSimStreamSlice {
  uint64_t begin = 0, end = 0;  // stream positions [begin, end)
};

// The stream is not stored: validity is a bitmap with per-64 prefix counts (1.2 bits per element), and
// addresses are recomputed where a replay needs them (misses, CALC mode).
class ScaleSimOperandStream {
 public:
  ScaleSimOperandStream(const ScaleSimMemorySetup& setup, const ScaleSimLayerShape& shape,
                        ScaleSimOperand operand);

  // Valid (non -1) elements before `pos`.
  uint64_t valid_before(uint64_t pos) const {
    if (all_valid_) return pos;
    const uint64_t word = pos / 64, bit = pos % 64;
    const uint64_t below = bit == 0 ? 0 : valid_bits_[word] & (~uint64_t{0} >> (64 - bit));
    return valid_prefix_[word] + static_cast<uint64_t>(__builtin_popcountll(below));
  }
  uint64_t size() const { return size_; }
  uint64_t address_count() const { return address_count_; }  // addresses are 0 .. address_count-1
  // Every address occurs once in the stream (filters; convolutions whose windows do not overlap).
  bool unique_addresses() const { return unique_addresses_; }

  // Demand row t of the fold (col_fold, row_fold).
  ScaleSimStreamSlice demand_row(uint64_t col_fold, uint64_t row_fold, uint64_t t) const;

  // Calls visit(pos) for every stream position holding ifmap `address` (im2col repeats it once per
  // window covering it: at most ceil(Fh/Sh) * ceil(Fw/Sw) times). Filters: the one position.
  template <typename Visit>
  bool any_position_of(int64_t address, Visit&& visit) const;

  // Calls visit(pos, address) for the valid positions of [begin, end), in stream order.
  template <typename Visit>
  void for_each_valid(uint64_t begin, uint64_t end, Visit&& visit) const;

 private:
  int64_t element(uint64_t row, uint64_t col) const;
  uint64_t position(uint64_t spatial, uint64_t temporal) const;  // of operand element (spatial, temporal)
  int64_t operand_address(uint64_t spatial, uint64_t temporal) const;
  void build_validity();

  ScaleSimLayerShape shape_;
  ScaleSimOperand operand_;
  Dataflow dataflow_;
  uint64_t array_rows_ = 1;
  uint64_t ofmap_w_ = 1, window_ = 1;
  uint64_t blocks_ = 1, block_rows_ = 1, width_ = 1, spatial_limit_ = 1, size_ = 0;
  bool diagonal_ = true;
  bool block_is_col_fold_ = false;
  bool in_bounds_ = true;  // no -1 but the padded columns (ifmap: the stride divides in - filter)
  bool unique_addresses_ = true;
  bool all_valid_ = false;  // no -1 at all: valid_before(pos) = pos, no bitmap
  uint64_t pre_ = 0;
  uint64_t address_count_ = 0;
  std::vector<uint64_t> valid_bits_;
  std::vector<uint32_t> valid_prefix_;    // valid elements before each 64-element word
  std::vector<uint64_t> diagonal_start_;  // first stream position of each anti-diagonal
};

template <typename Visit>
bool ScaleSimOperandStream::any_position_of(int64_t address, Visit&& visit) const {
  const auto a = static_cast<uint64_t>(address);
  const uint64_t channels = shape_.channels, in_w = shape_.ifmap_w;
  const uint64_t ih = a / (in_w * channels), iw = (a / channels) % in_w, ch = a % channels;
  const uint64_t fh = shape_.filter_h, fw = shape_.filter_w, sh = shape_.stride_h, sw = shape_.stride_w;
  const uint64_t ofmap_h = (uint64_t{shape_.ifmap_h} - fh + sh + sh - 1) / sh;
  const bool spatial_is_window =
      dataflow_ == Dataflow::kWeightStationary;  // ifmap: WS puts the window on rows
  for (uint64_t oh = ih + 1 > fh ? (ih + 1 - fh + sh - 1) / sh : 0; oh <= ih / sh && oh < ofmap_h; ++oh) {
    for (uint64_t ow = iw + 1 > fw ? (iw + 1 - fw + sw - 1) / sw : 0; ow <= iw / sw && ow < ofmap_w_; ++ow) {
      const uint64_t px = oh * ofmap_w_ + ow;
      const uint64_t win = ((ih - oh * sh) * fw + (iw - ow * sw)) * channels + ch;
      if (visit(spatial_is_window ? position(win, px) : position(px, win))) return true;
    }
  }
  return false;
}

template <typename Visit>
void ScaleSimOperandStream::for_each_valid(uint64_t begin, uint64_t end, Visit&& visit) const {
  if (begin >= end) return;
  const uint64_t m = blocks_ * block_rows_, n = width_;
  if (!diagonal_) {
    uint64_t row = begin / n, col = begin % n;
    for (uint64_t pos = begin; pos < end; ++pos) {
      const int64_t a = element(row, col);
      if (a >= 0) visit(pos, a);
      if (++col == n) col = 0, ++row;
    }
    return;
  }
  // Anti-diagonal d holds rows min(d, m-1) down to max(0, d-n+1).
  uint64_t d = static_cast<uint64_t>(std::upper_bound(diagonal_start_.begin(), diagonal_start_.end(), begin) -
                                     diagonal_start_.begin()) -
               1;
  uint64_t row = std::min(d, m - 1) - (begin - diagonal_start_[d]);
  for (uint64_t pos = begin; pos < end; ++pos) {
    const int64_t a = element(row, d - row);
    if (a >= 0) visit(pos, a);
    const uint64_t min_row = d + 1 > n ? d + 1 - n : 0;
    if (row == min_row) {
      ++d;
      row = std::min(d, m - 1);
    } else {
      --row;
    }
  }
}

}  // namespace npusim
