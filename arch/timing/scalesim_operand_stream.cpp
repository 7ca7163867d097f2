#include "arch/timing/scalesim_operand_stream.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "arch/spec/units.h"

namespace npusim {
namespace {

// topology_utils.topo_calc_hyperparams(): ceil((in - filter + stride) / stride).
uint64_t ofmap_extent(uint32_t in, uint32_t filter, uint32_t stride) {
  return (uint64_t{in} - filter + stride + stride - 1) / stride;
}

}  // namespace

ScaleSimOperandStream::ScaleSimOperandStream(const ScaleSimMemorySetup& setup,
                                             const ScaleSimLayerShape& shape, ScaleSimOperand operand)
    : shape_(shape), operand_(operand), dataflow_(setup.dataflow), array_rows_(setup.array.rows) {
  const uint64_t ofmap_h = ofmap_extent(shape.ifmap_h, shape.filter_h, shape.stride_h);
  ofmap_w_ = ofmap_extent(shape.ifmap_w, shape.filter_w, shape.stride_w);
  const uint64_t px = ofmap_h * ofmap_w_;
  window_ = uint64_t{shape.filter_h} * shape.filter_w * shape.channels;
  const uint64_t filters = shape.num_filters;
  const uint64_t h = setup.array.rows, w = setup.array.cols;
  const bool ifmap = operand == ScaleSimOperand::kIfmap;
  address_count_ = ifmap ? uint64_t{shape.ifmap_h} * shape.ifmap_w * shape.channels : window_ * filters;
  // (block rows R, width, spatial extent, diagonal, block index from the column fold, idle rows first)
  switch (setup.dataflow) {
    case Dataflow::kOutputStationary:
      if (ifmap) {
        block_rows_ = window_, width_ = h, spatial_limit_ = px;
      } else {
        block_rows_ = window_, width_ = w, spatial_limit_ = filters, block_is_col_fold_ = true;
      }
      break;
    case Dataflow::kWeightStationary:
      if (ifmap) {
        block_rows_ = px, width_ = h, spatial_limit_ = window_, pre_ = h;
      } else {
        block_rows_ = window_, width_ = w, spatial_limit_ = filters, diagonal_ = false,
        block_is_col_fold_ = true;
      }
      break;
    case Dataflow::kInputStationary:
      if (ifmap) {
        block_rows_ = window_, width_ = w, spatial_limit_ = px, diagonal_ = false, block_is_col_fold_ = true;
      } else {
        block_rows_ = filters, width_ = h, spatial_limit_ = window_, pre_ = h;
      }
      break;
  }
  blocks_ = ceil_div(spatial_limit_, width_);
  size_ = blocks_ * block_rows_ * width_;
  // ifmap -1s past the edge appear only when the stride leaves an overhang; im2col addresses repeat
  // only when windows overlap.
  if (ifmap) {
    in_bounds_ = (shape.ifmap_h - shape.filter_h) % shape.stride_h == 0 &&
                 (shape.ifmap_w - shape.filter_w) % shape.stride_w == 0;
    unique_addresses_ = (ofmap_h == 1 || shape.filter_h <= shape.stride_h) &&
                        (ofmap_w_ == 1 || shape.filter_w <= shape.stride_w);
  }
  if (address_count_ >= uint64_t{std::numeric_limits<int32_t>::max()} ||
      size_ >= uint64_t{std::numeric_limits<uint32_t>::max()}) {
    throw std::length_error("SCALE-Sim replay: layer too large for 32-bit stream positions");
  }
  build_validity();
}

// operand_matrix.calc_ifmap_elem_addr(px, w) without the offset, and calc_filter_elem_addr(w, f).
int64_t ScaleSimOperandStream::operand_address(uint64_t spatial, uint64_t temporal) const {
  const bool ifmap = operand_ == ScaleSimOperand::kIfmap;
  // Which index is the output pixel / filter and which the window position, per dataflow.
  const bool spatial_is_window = dataflow_ == Dataflow::kWeightStationary  ? ifmap
                                 : dataflow_ == Dataflow::kInputStationary ? !ifmap
                                                                           : false;
  const uint64_t outer = spatial_is_window ? temporal : spatial;  // px (ifmap) or filter index
  const uint64_t win = spatial_is_window ? spatial : temporal;
  if (!ifmap) return static_cast<int64_t>(outer * window_ + win);
  const uint64_t channels = shape_.channels;
  const uint64_t i_row = (outer / ofmap_w_) * shape_.stride_h;
  const uint64_t i_col = (outer % ofmap_w_) * shape_.stride_w;
  const uint64_t c_row = win / (uint64_t{shape_.filter_w} * channels);
  const uint64_t k = win % (uint64_t{shape_.filter_w} * channels);
  const uint64_t c_col = k / channels, c_ch = k % channels;
  if (c_row + i_row >= shape_.ifmap_h || c_col + i_col >= shape_.ifmap_w) return -1;
  return static_cast<int64_t>(((i_row + c_row) * shape_.ifmap_w + (i_col + c_col)) * channels + c_ch);
}

int64_t ScaleSimOperandStream::element(uint64_t row, uint64_t col) const {
  const uint64_t block = row / block_rows_;
  const uint64_t spatial = block * width_ + col;
  if (spatial >= spatial_limit_) return -1;
  return operand_address(spatial, row % block_rows_);
}

uint64_t ScaleSimOperandStream::position(uint64_t spatial, uint64_t temporal) const {
  const uint64_t row = (spatial / width_) * block_rows_ + temporal, col = spatial % width_;
  if (!diagonal_) return row * width_ + col;
  const uint64_t d = row + col;
  return diagonal_start_[d] + (std::min(d, blocks_ * block_rows_ - 1) - row);
}

// create_*_prefetch_mat(): for diag_id in range(M + N): rows min(diag_id, M-1) down to
// max(0, diag_id - N + 1); or plainly row-major.
void ScaleSimOperandStream::build_validity() {
  const uint64_t m = blocks_ * block_rows_, n = width_;
  all_valid_ = in_bounds_ && spatial_limit_ % width_ == 0;
  if (diagonal_) diagonal_start_.resize(m + n);
  if (all_valid_ && !diagonal_) return;
  if (!all_valid_) valid_bits_.assign(size_ / 64 + 1, 0);
  const auto mark = [&](uint64_t pos, uint64_t row, uint64_t col) {
    if (all_valid_) return;
    const bool valid =
        in_bounds_ ? (row / block_rows_) * width_ + col < spatial_limit_ : element(row, col) >= 0;
    if (valid) valid_bits_[pos / 64] |= uint64_t{1} << (pos % 64);
  };
  uint64_t pos = 0;
  if (diagonal_) {
    for (uint64_t d = 0; d + 1 < m + n; ++d) {
      diagonal_start_[d] = pos;
      const uint64_t max_row = std::min(d, m - 1);
      const uint64_t min_row = d + 1 > n ? d + 1 - n : 0;
      if (all_valid_) {
        pos += max_row - min_row + 1;
        continue;
      }
      for (uint64_t row = max_row + 1; row-- > min_row;) mark(pos++, row, d - row);
    }
    diagonal_start_[m + n - 1] = pos;
    if (all_valid_) return;
  } else {
    for (uint64_t row = 0; row < m; ++row) {
      for (uint64_t col = 0; col < n; ++col) mark(pos++, row, col);
    }
  }
  valid_prefix_.resize(valid_bits_.size() + 1);
  uint32_t valid = 0;
  for (size_t word = 0; word < valid_bits_.size(); ++word) {
    valid_prefix_[word] = valid;
    valid += static_cast<uint32_t>(__builtin_popcountll(valid_bits_[word]));
  }
  valid_prefix_[valid_bits_.size()] = valid;
}

ScaleSimStreamSlice ScaleSimOperandStream::demand_row(uint64_t col_fold, uint64_t row_fold,
                                                      uint64_t t) const {
  const uint64_t block = block_is_col_fold_ ? col_fold : row_fold;
  if (!diagonal_) {  // direct: H rows of the fold's block, flipped
    if (t >= array_rows_) return {};
    const uint64_t r = row_fold * array_rows_ + (array_rows_ - 1 - t);
    if (r >= block_rows_) return {};
    const uint64_t begin = (block * block_rows_ + r) * width_;
    return {begin, begin + width_};
  }
  if (t < pre_) return {};
  const uint64_t u = t - pre_;  // = k + c
  const uint64_t c_lo = u + 1 > block_rows_ ? u + 1 - block_rows_ : 0;
  const uint64_t c_hi = std::min(width_ - 1, u);
  if (c_lo > c_hi) return {};
  const uint64_t m = blocks_ * block_rows_;
  const uint64_t d = block * block_rows_ + u;
  const uint64_t max_row = std::min(d, m - 1);
  const uint64_t row_hi = d - c_lo, row_lo = d - c_hi;  // rows descend along the stream
  return {diagonal_start_[d] + (max_row - row_hi), diagonal_start_[d] + (max_row - row_lo) + 1};
}

}  // namespace npusim
