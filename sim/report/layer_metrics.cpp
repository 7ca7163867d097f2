// Derived per-layer and total metrics, computed once from raw counters at report time.
#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "analysis/energy/npu_energy.h"
#include "analysis/power/area_model.h"
#include "arch/timing/scalesim_timing.h"
#include "sim/report/run_report.h"

namespace npusim {
namespace {

std::string shape_text(const Operator& op) {
  if (has_gemm_view(op)) {
    const GemmView v = gemm_view(op);
    std::string text = fmt::format("M={} N={} K={}", v.m, v.n, v.k);
    return v.gemm_count > 1 ? fmt::format("{}x({})", v.gemm_count, text) : text;
  }
  return fmt::format("{} elements", op_output_elements(op));
}

double seconds(const NpuConfig& config, Cycles cycles) {
  return static_cast<double>(cycles) / (config.clock_mhz * 1e6);
}

double ratio(double numerator, double denominator) { return denominator > 0 ? numerator / denominator : 0.0; }

// MACs per cycle the whole NPU can complete on `dtype` operands: every PE of every array of every core.
double peak_macs_per_cycle(const NpuConfig& config, DType dtype) {
  return static_cast<double>(config.array.rows) * config.array.cols * config.array.count * config.cores *
         config.array.rate_of(dtype);
}

// The operand type of a range of rows (its first row's; the NPU's default for none): what the peak
// totals are stated at.
DType rows_dtype(const NpuConfig& config, const LayerRows& rows, size_t first,
                 size_t end) {
  if (first >= end) return config.array.dtypes.front();
  return parse_dtype(rows[first]["dtype"].get<std::string>()).value_or(config.array.dtypes.front());
}

// SCALE-Sim's own per-layer numbers (COMPUTE_REPORT.csv columns): compute cycles, mapping efficiency
// and compute utilisation in closed form; stalls from the simulation, counted as SCALE-Sim counts them
// (the first fill before cycle 0 and the final drain are not stalls).
void add_scalesim_columns(const NpuConfig& config, const Operator& op, const LayerStats& s,
                          nlohmann::ordered_json& row) {
  if (!has_gemm_view(op)) {  // SCALE-Sim has no such layer; keep the columns, empty
    for (const char* key : {"scalesim_compute_cycles", "scalesim_stall_cycles", "scalesim_total_cycles",
                            "scalesim_mapping_efficiency_percent", "scalesim_compute_utilization_percent",
                            "scalesim_overall_utilization_percent"}) {
      row[key] = nullptr;
    }
    return;
  }
  const GemmView v = gemm_view(op);
  const ArrayShape array{config.array.rows, config.array.cols};
  const ScaleSimLayerTiming timing =
      scalesim_layer_timing(array, config.array.dataflow, GemmShape{v.m, v.n, v.k}, v.gemm_count);
  const Cycles stalls = s.stall_memory_cycles + s.stall_dependency_cycles - s.stall_fill_cycles;
  const uint64_t macs = v.m * v.n * v.k * v.gemm_count;
  row["scalesim_compute_cycles"] = timing.compute_cycles;
  row["scalesim_stall_cycles"] = stalls;
  row["scalesim_total_cycles"] = scalesim_total_cycles(timing.compute_cycles, stalls);
  row["scalesim_mapping_efficiency_percent"] = scalesim_percent(timing.mapping_efficiency);
  row["scalesim_compute_utilization_percent"] = scalesim_percent(timing.compute_utilisation);
  row["scalesim_overall_utilization_percent"] =
      scalesim_overall_util_percent(macs, timing.compute_cycles, stalls, array);
}

// Energy columns of a layer row, summed the same way into totals.
struct EnergyColumn {
  const char* key;
  double EnergyBreakdown::*joules;
};
constexpr EnergyColumn kEnergyColumns[] = {
    {"energy_j", &EnergyBreakdown::total_j},         {"mac_energy_j", &EnergyBreakdown::mac_j},
    {"sram_energy_j", &EnergyBreakdown::sram_j},     {"dram_energy_j", &EnergyBreakdown::dram_j},
    {"vector_energy_j", &EnergyBreakdown::vector_j}, {"noc_energy_j", &EnergyBreakdown::noc_j},
    {"dma_energy_j", &EnergyBreakdown::dma_j},       {"leakage_energy_j", &EnergyBreakdown::leakage_j}};

void add_energy_columns(const NpuConfig& config, const EnergyEventTable& table, DType dtype, const LayerStats& s,
                        nlohmann::ordered_json& row) {
  const double time_s = seconds(config, s.cycles());
  const EnergyBreakdown energy = npu_layer_energy(s, dtype, table, time_s);
  for (const EnergyColumn& column : kEnergyColumns) row[column.key] = energy.*column.joules;
  row["power_w"] = ratio(energy.total_j, time_s);
}

// A layer row's derived columns, each placed right after the counter named in `after` (the row keeps
// the column order result.json has always had); `summed`: also summed over rows into the totals.
struct RowInputs {
  const NpuConfig& config;
  const LayerProgram& program;
  const LayerStats& stats;
};
struct DerivedColumn {
  uint64_t LayerStats::*after;
  const char* key;
  bool summed;
  nlohmann::ordered_json (*value)(const RowInputs& in);
};
const DerivedColumn kDerivedColumns[] = {
    {&LayerStats::stall_drain_cycles, "stall_cycles", true,
     [](const RowInputs& in) -> nlohmann::ordered_json {
       return in.stats.cycles() - in.stats.engine_busy_cycles;
     }},
    {&LayerStats::sram_conflict_cycles, "mac_utilization", false,
     [](const RowInputs& in) -> nlohmann::ordered_json {
       return ratio(static_cast<double>(in.program.macs),
                    static_cast<double>(in.stats.cycles()) * peak_macs_per_cycle(in.config, in.program.dtype));
     }},
    {&LayerStats::sram_conflict_cycles, "mapping_efficiency", false,
     [](const RowInputs& in) -> nlohmann::ordered_json { return in.program.mapping.mapping_efficiency; }},
    {&LayerStats::sram_write_bytes, "dram_bandwidth_gbytes_per_s", false,
     [](const RowInputs& in) -> nlohmann::ordered_json {
       const Bytes dram_bytes = in.stats.dram_read_bytes + in.stats.dram_write_bytes;
       return ratio(static_cast<double>(dram_bytes), seconds(in.config, in.stats.cycles())) / 1e9;
     }},
    // Memory-bound when the DMA was busy longer than the engine computed.
    {&LayerStats::vector_ops, "bound", false,
     [](const RowInputs& in) -> nlohmann::ordered_json {
       return in.stats.dma_busy_cycles > in.stats.engine_busy_cycles ? "memory" : "compute";
     }},
    {&LayerStats::vector_ops, "cores_used", false,
     [](const RowInputs& in) -> nlohmann::ordered_json { return in.program.mapping.cores_used; }},
    {&LayerStats::vector_ops, "split", false,
     [](const RowInputs& in) -> nlohmann::ordered_json { return in.program.mapping.split; }},
};

// The counters a layer row reports (kLayerCounters order), each followed by its derived columns.
void add_counter_columns(const RowInputs& in, nlohmann::ordered_json& row) {
  for (const LayerCounter& counter : kLayerCounters) {
    if ((counter.report & kReportLayerRow) == 0) continue;
    row[counter.name] = in.stats.*counter.member;
    for (const DerivedColumn& column : kDerivedColumns) {
      if (column.after == counter.member) row[column.key] = column.value(in);
    }
  }
}

// The row columns summed into totals, in row order: the program's MACs, cycles, then the counters
// marked kReportTotals and the summed derived columns.
std::vector<const char*> summed_columns() {
  std::vector<const char*> keys{"macs", "cycles"};
  for (const LayerCounter& counter : kLayerCounters) {
    if ((counter.report & kReportLayerRow) == 0) continue;
    if ((counter.report & kReportTotals) != 0) keys.push_back(counter.name);
    for (const DerivedColumn& column : kDerivedColumns) {
      if (column.after == counter.member && column.summed) keys.push_back(column.key);
    }
  }
  return keys;
}

// The same operator on the GPU baseline; a fused epilogue has no kernel of its own (time 0).
void add_gpu_columns(const GpuOpEstimate& gpu, double npu_time_s, nlohmann::ordered_json& row) {
  row["gpu_class"] = gpu_op_class_name(gpu.op_class);
  row["gpu_time_s"] = gpu.time_s;
  row["gpu_energy_j"] = gpu.energy_j;
  row["gpu_power_w"] = gpu.power_w;
  row["speedup_vs_gpu"] = gpu.time_s > 0 ? nlohmann::ordered_json(ratio(gpu.time_s, npu_time_s)) : nullptr;
}

void add_energy_totals(const NpuConfig& config, const LayerRows& rows, size_t first,
                       size_t end, nlohmann::ordered_json& totals) {
  for (const EnergyColumn& column : kEnergyColumns) {
    double sum = 0.0;
    for (size_t i = first; i < end; ++i) sum += rows[i][column.key].get<double>();
    totals[column.key] = sum;
  }
  std::vector<EnergySpan> spans;
  for (size_t i = first; i < end; ++i) {
    spans.push_back({rows[i]["cycles"].get<uint64_t>(), rows[i]["energy_j"].get<double>()});
  }
  const double time_s = totals["time_s"].get<double>();
  const auto window_cycles = static_cast<Cycles>(std::llround(kPeakPowerWindowS * config.clock_mhz * 1e6));
  totals["average_power_w"] = ratio(totals["energy_j"].get<double>(), time_s);
  totals["peak_power_w"] = peak_window_power_w(spans, std::max<Cycles>(window_cycles, 1), config.clock_mhz);
  totals["peak_power_window_s"] = kPeakPowerWindowS;
  // Idle power is the leakage rate the rows were priced with; TDP and die area come from the config.
  totals["idle_power_w"] = ratio(totals["leakage_energy_j"].get<double>(), time_s);
  const PowerModel power = resolve_power_model(config);
  totals["die_area_mm2"] = power.die_area_mm2;
  const std::optional<double> tdp = config.power.tdp_w;
  totals["tdp_w"] = tdp ? nlohmann::ordered_json(*tdp) : nlohmann::ordered_json(nullptr);
  totals["average_power_over_tdp"] =
      tdp ? nlohmann::ordered_json(totals["average_power_w"].get<double>() / *tdp) : nlohmann::ordered_json(nullptr);
  totals["peak_power_over_tdp"] =
      tdp ? nlohmann::ordered_json(totals["peak_power_w"].get<double>() / *tdp) : nlohmann::ordered_json(nullptr);
}

}  // namespace

nlohmann::ordered_json layer_row(const NpuConfig& config, const EnergyEventTable& energy,
                                 const std::string& workload, size_t index, const Operator& op,
                                 const LayerProgram& program, const LayerStats& s, const GpuOpEstimate* gpu) {
  const Cycles cycles = s.cycles();
  const LayerMapping& m = program.mapping;
  nlohmann::ordered_json row;
  row["index"] = index;
  row["workload"] = workload;
  row["name"] = program.name;
  row["op"] = op_kind_name(op.kind);
  row["dtype"] = std::string(dtype_name(program.dtype));
  row["unit"] = m.unit;
  row["shape"] = shape_text(op);
  row["loop_order"] = m.loop_order;
  row["tile"] = fmt::format("{}x{}x{}", m.tile.m, m.tile.n, m.tile.k);
  row["tiles"] = m.tiles;
  row["folds"] = m.folds;
  row["macs"] = program.macs;
  row["cycles"] = cycles;
  row["time_s"] = seconds(config, cycles);
  row["mapper_estimated_cycles"] = std::llround(m.estimated_cycles);
  add_counter_columns(RowInputs{config, program, s}, row);
  add_energy_columns(config, energy, program.dtype, s, row);
  if (gpu != nullptr) add_gpu_columns(*gpu, seconds(config, cycles), row);
  if (config.timing_mode == TimingMode::kScaleSim) add_scalesim_columns(config, op, s, row);
  return row;
}

nlohmann::ordered_json totals_over(const NpuConfig& config, const LayerRows& rows,
                                   size_t first, size_t end, uint32_t batch) {
  nlohmann::ordered_json totals;
  totals["layers"] = end - first;
  for (const char* key : summed_columns()) {
    uint64_t sum = 0;
    for (size_t i = first; i < end; ++i) sum += rows[i][key].get<uint64_t>();
    totals[key] = sum;
  }
  const auto cycles = totals["cycles"].get<uint64_t>();
  const auto macs = static_cast<double>(totals["macs"].get<uint64_t>());
  const double time_s = seconds(config, cycles);
  const double dram_bytes = static_cast<double>(totals["dram_read_bytes"].get<uint64_t>() +
                                                totals["dram_write_bytes"].get<uint64_t>());
  totals["time_s"] = time_s;
  const double peak_macs = peak_macs_per_cycle(config, rows_dtype(config, rows, first, end));
  totals["mac_utilization"] = ratio(macs, static_cast<double>(cycles) * peak_macs);
  totals["effective_tops"] = ratio(2.0 * macs, time_s) / 1e12;
  totals["peak_tops"] = 2.0 * peak_macs * config.clock_mhz * 1e6 / 1e12;
  totals["dram_bandwidth_gbytes_per_s"] = ratio(dram_bytes, time_s) / 1e9;
  add_energy_totals(config, rows, first, end, totals);
  const double energy_j = totals["energy_j"].get<double>();
  totals["tops_per_w"] = ratio(2.0 * macs / 1e12, energy_j);  // (ops / s) / (J / s), modeled average power
  if (batch > 0) {  // 0: rows of several workloads, where "an inference" means nothing
    totals["batch"] = batch;
    totals["inferences_per_s"] = ratio(batch, time_s);
    totals["energy_per_inference_j"] = energy_j / batch;
    totals["inferences_per_j"] = ratio(batch, energy_j);
  }
  return totals;
}

nlohmann::ordered_json comparison_json(const nlohmann::ordered_json& npu, const GpuRunEstimate& gpu, uint64_t macs,
                                       uint32_t batch) {
  const double ops = 2.0 * static_cast<double>(macs);
  const double npu_time = npu["time_s"].get<double>();
  const double npu_energy = npu["energy_j"].get<double>();
  nlohmann::ordered_json g;
  g["gpu"] = gpu.gpu;
  g["overhead_mode"] = gpu.overhead_mode;
  g["kernel_overhead_us"] = gpu.kernel_overhead_us;
  g["kernels"] = gpu.kernels;
  g["time_s"] = gpu.time_s;
  g["energy_j"] = gpu.energy_j;
  g["average_power_w"] = gpu.average_power_w;
  g["tdp_w"] = gpu.tdp_w;
  g["inferences_per_s"] = ratio(batch, gpu.time_s);
  g["energy_per_inference_j"] = gpu.energy_j / batch;
  g["inferences_per_j"] = ratio(batch, gpu.energy_j);
  g["inferences_per_j_at_tdp"] = ratio(batch, gpu.tdp_w * gpu.time_s);
  g["tops_per_w"] = ratio(ops / 1e12, gpu.energy_j);
  g["tops_per_w_at_tdp"] = ratio(ops / 1e12, gpu.tdp_w * gpu.time_s);
  g["fuse_elementwise"] = gpu.fuse_elementwise;
  g["l2_residency"] = gpu.l2_residency;
  g["engine_batch"] = gpu.engine_batch;
  g["sustained_clock_mhz"] = gpu.clock_mhz;
  g["power_cap_w"] = gpu.power_cap_w;
  g["assumptions"] = gpu_run_assumptions(gpu);
  nlohmann::ordered_json c;
  c["power_basis"] =
      "perf/W divides by modeled average power (energy / time) for both NPU and GPU; *_at_tdp divides the "
      "GPU's throughput by its TDP, as vendor claims do";
  c["gpu"] = g;
  c["speedup_npu_over_gpu"] = ratio(gpu.time_s, npu_time);
  c["energy_ratio_gpu_over_npu"] = ratio(gpu.energy_j, npu_energy);
  c["inferences_per_j_ratio_npu_over_gpu"] = ratio(ratio(batch, npu_energy), ratio(batch, gpu.energy_j));
  c["inferences_per_j_ratio_npu_over_gpu_at_tdp"] =
      ratio(ratio(batch, npu_energy), g["inferences_per_j_at_tdp"].get<double>());
  return c;
}

}  // namespace npusim
