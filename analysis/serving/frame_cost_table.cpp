#include "analysis/serving/frame_cost_table.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace npusim {

std::vector<uint32_t> frame_batch_grid(uint32_t max_batch) {
  std::vector<uint32_t> grid;
  for (uint32_t b = 1; b < max_batch;) {
    grid.push_back(b);
    // 1, 2, 3, 4, 6, 8, 12, 16, ...: powers of two and their midpoints
    const uint32_t power = 1u << static_cast<uint32_t>(std::floor(std::log2(static_cast<double>(b))));
    b = b == power && b >= 2 ? b + b / 2 : (b < 2 ? b + 1 : 2 * power);
  }
  grid.push_back(std::max<uint32_t>(max_batch, 1));
  return grid;
}

void FrameCostTable::add(size_t model, uint32_t batch, FrameRunCost cost) {
  points_[{model, batch}] = std::move(cost);
  interpolated_.clear();
}

const FrameRunCost& FrameCostTable::at(size_t model, uint32_t batch) const {
  const auto exact = points_.find({model, batch});
  if (exact != points_.end()) return exact->second;
  const auto cached = interpolated_.find({model, batch});
  if (cached != interpolated_.end()) return cached->second;
  const auto upper = points_.lower_bound({model, batch});
  if (upper == points_.end() || upper->first.first != model || upper == points_.begin() ||
      std::prev(upper)->first.first != model)
    throw std::out_of_range("frame cost table: no simulated batch around this one");
  const auto lower = std::prev(upper);
  const double fraction = static_cast<double>(batch - lower->first.second) /
                          static_cast<double>(upper->first.second - lower->first.second);
  const FrameRunCost& low = lower->second;
  const FrameRunCost& high = upper->second;
  FrameRunCost cost;
  cost.time_s = low.time_s + fraction * (high.time_s - low.time_s);
  cost.energy_j = low.energy_j + fraction * (high.energy_j - low.energy_j);
  const double scale = low.time_s > 0 ? cost.time_s / low.time_s : 1.0;
  cost.layer_end_s.reserve(low.layer_end_s.size());
  for (double end : low.layer_end_s) cost.layer_end_s.push_back(end * scale);
  if (!cost.layer_end_s.empty()) cost.layer_end_s.back() = cost.time_s;
  return interpolated_.emplace(std::make_pair(model, batch), std::move(cost)).first->second;
}

}  // namespace npusim
