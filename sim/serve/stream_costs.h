// Frame cost tables for `npusim serve` streams: every distinct (model, batch, core count) is simulated
// once, in one worker process per (model, core count) (`npusim run` on the chip with npu.cores = k, the
// model's batches back to back from batch 1; SystemC elaborates once per process), and reused by every
// scheduling run, --find-max-streams included. Batch 1 runs first, so it is exactly a lone `npusim run`;
// a later batch starts from the memory state its predecessor left (measured: 1e-5 of its time). The
// full-chip workers also price the same workloads on the GPU model (its per-workload estimate).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analysis/serving/frame_cost_table.h"

namespace npusim {

struct StreamCostRequest {
  std::string npu;
  std::vector<std::string> overrides;
  std::string dtype;                    // empty: the NPU's first
  std::string gpu = "none";             // GPU preset or file, or none
  std::vector<std::string> models;      // zoo specs, the cost tables' model indices
  std::vector<uint32_t> npu_max_batch;  // per model
  std::vector<uint32_t> gpu_max_batch;  // per model
  std::vector<uint32_t> core_counts;    // distinct, each <= chip_cores
  uint32_t chip_cores = 1;
};

struct StreamCostTables {
  std::map<uint32_t, FrameCostTable> npu_by_cores;
  FrameCostTable gpu;
  uint64_t simulated_workloads = 0;
  uint32_t worker_processes = 0;
  double wall_s = 0.0;
};

StreamCostTables build_stream_cost_tables(const StreamCostRequest& request);

}  // namespace npusim
