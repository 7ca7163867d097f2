// One `npusim run`: resolve the config, load and map the workloads, simulate, report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/npu_config.h"
#include "sim/report/run_report.h"

namespace npusim {

struct RunOptions {
  std::string npu = "edge-int8";
  std::vector<std::string> workloads;  // empty: the built-in default workloads
  std::vector<std::string> overrides;  // "npu.sram.banks=8"
  uint32_t batch = 0;                  // 0: each workload's default
  std::string dtype;                   // empty: the NPU's first supported data type
  std::string out_dir;                 // empty: terminal only
  bool quiet = false;                  // no table on stdout
  std::string host_stats_file;         // wall time and memory of this process, for `npusim bench`
};

// The default when `npusim run` gets no --workload: a CNN (and a transformer once the zoo has one).
std::vector<std::string> default_workloads();

// Loads, layers, overrides and validates an NPU config; `source` receives the file it came from.
NpuConfig resolve_npu_config(const std::string& spec, const std::vector<std::string>& overrides,
                             std::string* source);

RunReport execute_run(const RunOptions& options);

// The `run` subcommand: prints the table, writes result.json and layers.csv. Returns the exit code.
int run_command(const RunOptions& options);

}  // namespace npusim
