// The result of one `npusim run`: resolved configs, workloads, per-layer rows, totals, and the NPU-vs-GPU
// comparison. Rows are ordered JSON objects so result.json, layers.csv and the terminal table share one
// definition.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "analysis/energy/energy_table.h"
#include "analysis/gpu/gpu_calibration.h"
#include "analysis/gpu/gpu_model.h"
#include "analysis/power/area_model.h"
#include "arch/isa/layer_stats.h"
#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"
#include "arch/isa/command_stream.h"
#include "sim/io/atomic_file.h"
#include "sim/report/layer_rows.h"

namespace npusim {

constexpr int kResultSchemaVersion = 1;

// Peak power is the highest average over any window of this length.
constexpr double kPeakPowerWindowS = 100e-6;

struct WorkloadSummary {
  std::string name;
  std::string source;
  uint32_t batch = 1;
  DType dtype = DType::kInt8;
  size_t first_layer = 0;  // rows [first_layer, end_layer) of RunReport::layers
  size_t end_layer = 0;
  std::optional<GpuRunEstimate> gpu;  // the same workload on the GPU baseline
  std::vector<std::string> warnings;  // importer warnings (ONNX operators skipped by --allow-unsupported)
  std::vector<std::string> notes;     // modelling assumptions (the effective sequence length)
};

struct GpuBaseline {
  GpuConfig config;
  std::string source;
  CalibrationError calibration;  // the model's error on the A100 GEMM sweep (REFERENCE.md §3.2)
  std::string calibrated_gpu;    // the preset that sweep measured (a100-sxm4-80gb)
  // Whether `config` is that GPU: only then is `calibration` this baseline's own error.
  bool calibrated() const { return config.name == calibrated_gpu; }
};

// Where the run's time and energy are priced: clock_mhz unless npu.power.cap_w lowered it (analysis/power/dvfs.h).
struct OperatingPoint {
  double clock_mhz = 0.0;
  double voltage_v = 0.0;
  double uncapped_average_power_w = 0.0;  // the whole run at clock_mhz
  bool capped = false;                    // the cap lowered the clock
  bool cap_met = true;                    // false: even the lowest DVFS clock exceeds the cap
};

struct RunReport {
  NpuConfig config;
  std::string npu_source;  // preset path or file
  PowerModel power;
  OperatingPoint operating;
  EnergyEventTable energy;  // at the operating point
  std::optional<GpuBaseline> gpu;
  std::vector<WorkloadSummary> workloads;
  LayerRows layers;
  nlohmann::ordered_json totals;
  std::vector<NocLinkUsage> noc_links;  // every NoC link over the whole run (none on one core)
  std::vector<std::vector<LayerStats>> core_layers;  // [core][layer], only with more than one core
  Cycles total_cycles = 0;
  // LLM mode: the workloads are a prefill and decode steps, so the table leaves out per-workload
  // inferences/s and GPU comparisons; the LLM summary compares TTFT, TPOT, tokens/s and J/token.
  bool llm_mode = false;
};

// One row of metrics for a simulated layer; `gpu` is the same operator on the GPU baseline, if any.
nlohmann::ordered_json layer_row(const NpuConfig& config, const EnergyEventTable& energy,
                                 const std::string& workload, size_t index, const Operator& op,
                                 const LayerProgram& program, const LayerStats& stats, const GpuOpEstimate* gpu);

// Sums and derived totals over rows [first, end) for a workload of `batch` items (0: a mix of workloads).
nlohmann::ordered_json totals_over(const NpuConfig& config, const LayerRows& rows,
                                   size_t first, size_t end, uint32_t batch);

// NPU vs GPU for one workload: latency, throughput, energy per inference, power, inferences per joule,
// TOPS/W, and their ratios; says which power each perf/W divides by.
nlohmann::ordered_json comparison_json(const nlohmann::ordered_json& npu_totals, const GpuRunEstimate& gpu,
                                       uint64_t macs, uint32_t batch);

// The config the rows and totals are priced with: report.config at the operating point's clock.
NpuConfig operating_config(const RunReport& report);

// The "power" section of result.json: die area, idle power, TDP, and the operating point under the cap.
nlohmann::ordered_json power_section(const RunReport& report);
// Text lines: modeled average and peak power against the TDP, and the sustained clock under a cap.
std::string power_lines(const RunReport& report, const nlohmann::ordered_json& totals);

// result.json and layers.csv, rendered in chunks (a long decode run has hundreds of thousands of rows).
void stream_report_json(const RunReport& report, const ChunkSink& emit);
void stream_report_csv(const RunReport& report, const ChunkSink& emit);
// The terminal table. layers_filter: "auto" lists every layer of a workload with at most
// kAutoLayerRows layers and only a summary (the slowest layers) past that; "all", "none", or a text
// that a listed layer's name or op contains.
constexpr size_t kAutoLayerRows = 50;
std::string report_to_table(const RunReport& report, const std::string& layers_filter = "auto");

// DIR/result.json and DIR/layers.csv: both rendered before either is written, so a failure leaves no
// half result.
void write_result_files(const RunReport& report, const std::string& out_dir);

}  // namespace npusim
