// The result of one `npusim run`: resolved config, workloads, per-layer rows and totals.
// Rows are ordered JSON objects so result.json, layers.csv and the terminal table share one definition.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "arch/layer_stats.h"
#include "sim/core/npu_config.h"
#include "workloads/ir/operator.h"
#include "workloads/mapper/command_stream.h"

namespace npusim {

constexpr int kResultSchemaVersion = 1;

struct WorkloadSummary {
  std::string name;
  std::string source;
  uint32_t batch = 1;
  DType dtype = DType::kInt8;
  size_t first_layer = 0;  // rows [first_layer, end_layer) of RunReport::layers
  size_t end_layer = 0;
};

struct RunReport {
  NpuConfig config;
  std::string npu_source;  // preset path or file
  std::vector<WorkloadSummary> workloads;
  std::vector<nlohmann::ordered_json> layers;
  nlohmann::ordered_json totals;
};

// One row of metrics for a simulated layer; `op` is the operator the program lowered.
nlohmann::ordered_json layer_row(const NpuConfig& config, const std::string& workload, size_t index,
                                 const Operator& op, const LayerProgram& program, const LayerStats& stats);

// Sums and derived totals over rows [first, end) for a workload of `batch` items (0: a mix of workloads).
nlohmann::ordered_json totals_over(const NpuConfig& config, const std::vector<nlohmann::ordered_json>& rows,
                                   size_t first, size_t end, uint32_t batch);

nlohmann::ordered_json report_to_json(const RunReport& report);
std::string report_to_csv(const RunReport& report);
std::string report_to_table(const RunReport& report);

}  // namespace npusim
