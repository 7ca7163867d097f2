// What one frame job costs: each model of the streams, simulated at a grid of batch sizes on one device
// (an NPU with some cores, or the GPU model), read back from the simulation, and looked up per batch.
// Between simulated batches, time and energy are interpolated linearly and the layer boundaries scaled
// from the lower point; at a simulated batch they are the simulation's numbers exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

namespace npusim {

// One model at one batch: the whole run and where each layer ends (cumulative; the last equals time_s).
struct FrameRunCost {
  double time_s = 0.0;
  double energy_j = 0.0;
  std::vector<double> layer_end_s;  // empty: not preemptible inside (the GPU model: one piece)
};

// Batch sizes to simulate so that every batch up to `max_batch` lies between two of them:
// 1, 2, 3, 4, 6, 8, 12, 16, 24, ... (each step at most 1.5x), ending at max_batch.
std::vector<uint32_t> frame_batch_grid(uint32_t max_batch);

class FrameCostTable {
 public:
  void add(size_t model, uint32_t batch, FrameRunCost cost);
  // Exact at simulated batches; interpolated between them (memoized, so references stay valid).
  // Throws std::out_of_range for a model without points or a batch beyond the largest simulated one.
  const FrameRunCost& at(size_t model, uint32_t batch) const;
  bool empty() const { return points_.empty(); }

 private:
  std::map<std::pair<size_t, uint32_t>, FrameRunCost> points_;
  mutable std::map<std::pair<size_t, uint32_t>, FrameRunCost> interpolated_;
};

}  // namespace npusim
