// `npusim serve` options for periodic streams (a traffic file with `streams`,
// workloads/traffic/stream_spec.h).
#pragma once

#include <cstdint>
#include <string>

namespace npusim {

struct StreamServeOptions {
  std::string policy = "edf";  // partition, priority or edf (the NPU); the GPU side is always MPS-style FIFO
  std::string find_max_streams;    // a stream's name: bisect its count for zero missed deadlines
  double duration_s = 10.0;        // frames arrive in [0, duration_s)
  uint32_t frame_batch = 8;        // NPU: most frames of one stream batched together (deadline-checked)
  uint32_t gpu_frame_batch = 8;    // GPU: dynamic batching up to this many frames of one stream
  double preemption_cost_s = 0.0;  // NPU: switch time charged per layer-boundary preemption
};

}  // namespace npusim
