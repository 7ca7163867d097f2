// One `npusim run`: resolve the config, load and map the workloads, simulate, report.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch/spec/npu_config.h"
#include "sim/report/run_report.h"
#include "sim/run/device_presets.h"  // resolve_npu_config, resolve_gpu_baseline
#include "sim/run/progress_meter.h"

namespace npusim {

// The comparison baseline when --gpu is not given: an edge GPU, the default NPU's natural rival.
constexpr const char* kDefaultGpu = "jetson-agx-orin";

struct RunOptions {
  std::string npu = "edge-int8";
  std::string gpu = kDefaultGpu;       // GPU baseline preset or file; "none" for no comparison
  std::vector<std::string> workloads;  // empty: the built-in default workloads
  std::vector<std::string> overrides;  // "npu.sram.banks=8", "gpu.tdp_w=300"
  uint32_t batch = 0;                  // 0: each workload's default
  std::string dtype;                   // empty: the NPU's first supported data type
  std::string seq_dist;                // encoders: DIST of real sequence lengths (unpadded); empty: padded
  std::string out_dir;                 // empty: terminal only
  bool quiet = false;                  // no table on stdout
  std::string host_stats_file;         // wall time and memory of this process, for `npusim bench`
  bool allow_unsupported = false;      // ONNX: skip unsupported operators with a warning instead of failing
  std::string timeline_file;           // Perfetto trace-event JSON of every unit's spans; empty: none
  uint64_t timeline_max_spans = 200000;  // past this, spans are merged per track and layer
  std::string scalesim_reports_dir;      // SCALE-Sim's three CSV reports; empty: none
  ProgressMode progress = ProgressMode::kAuto;  // layers done and elapsed time on stderr while simulating
  std::string layers = "auto";  // terminal table rows: auto, all, none, or a layer name/op substring
};

// The default when `npusim run` gets no --workload: a CNN and a transformer.
std::vector<std::string> default_workloads();

// --dtype TEXT: one of the known data types, else InputError("<cli>", "--dtype", ...).
DType dtype_option(const std::string& text);

// The run's operand type for operators that do not fix one: --dtype, else the NPU's first supported type.
DType resolve_dtype(const RunOptions& options, const NpuConfig& config);

RunReport execute_run(const RunOptions& options);

// The `run` subcommand: prints the table, writes result.json and layers.csv. Returns the exit code.
int run_command(const RunOptions& options);

}  // namespace npusim
