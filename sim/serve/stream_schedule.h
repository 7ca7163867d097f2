// Runs planned streams through the serving engine on one device: the NPU under --policy (partition: one
// engine per stream on its own cores; priority/edf: one engine, preemptive at layer boundaries) or the GPU
// model (MPS-style FIFO, non-preemptive, dynamic batching). Energy: the frames' simulated energy plus the
// idle power over the time the device (or partition) is not busy, to the end of the run; a partition's idle
// power is the chip's times its share of the cores, and cores no stream holds idle throughout.
#pragma once

#include <vector>

#include "analysis/serving/stream_metrics.h"
#include "sim/serve/stream_costs.h"
#include "sim/serve/stream_setup.h"

namespace npusim {

struct StreamDeviceSetup {
  bool gpu = false;
  FramePolicy policy = FramePolicy::kEdf;
  bool partition = false;
  uint32_t max_batch = 1;
  double preemption_cost_s = 0.0;
  double idle_w = 0.0;  // the whole chip's (or GPU's)
  double duration_s = 1.0;
  uint64_t seed = 1;
};

// The frame scheduler's settings for a device (GPU: FIFO, non-preemptive, batching without a deadline check).
FrameSchedulerConfig frame_scheduler_config(const StreamDeviceSetup& setup);

// `streams` may differ from plan.streams in their counts only (--find-max-streams).
StreamDeviceRun schedule_streams(const StreamPlan& plan, const std::vector<StreamSpec>& streams,
                                 const StreamCostTables& tables, const StreamDeviceSetup& setup);

}  // namespace npusim
