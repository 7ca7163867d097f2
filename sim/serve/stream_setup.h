// What `npusim serve` checks and derives for streams before scheduling: the models exist, the cores
// fit the chip (partition: each stream's dedicated cores), and each model's largest batch on each side.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/serve/stream_costs.h"
#include "sim/serve/stream_options.h"
#include "workloads/traffic/stream_spec.h"

namespace npusim {

struct StreamPlan {
  std::vector<StreamSpec> streams;
  std::vector<std::vector<size_t>> stage_models;  // per stream: cost-table model index of each stage
  std::vector<uint32_t> cores;                    // per stream: cores it runs on (partition) or the chip's
  uint32_t chip_cores = 1;
  bool partition = false;
  StreamCostRequest costs;  // what to simulate
};

// Throws InputError naming `file` and the JSON path (streams[1].pipeline[0].model, streams[0].cores) or
// the flag (--policy, --frame-batch).
StreamPlan plan_streams(const std::vector<StreamSpec>& streams, const std::string& file,
                        const StreamServeOptions& options, uint32_t chip_cores, const std::string& npu_dtype);

}  // namespace npusim
