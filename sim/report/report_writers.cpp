// result.json, layers.csv and the terminal table, all from the same RunReport rows.
#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "analysis/gpu/gpu_config.h"
#include "sim/io/csv_cell.h"
#include "sim/io/finite_numbers.h"
#include "sim/io/json_stream.h"
#include "sim/io/result_set.h"
#include "arch/spec/npu_config_parse.h"
#include "sim/report/run_report.h"

namespace npusim {
namespace {

std::string si_bytes(uint64_t bytes) {
  if (bytes >= 10ull * 1000 * 1000) return fmt::format("{:.1f}M", static_cast<double>(bytes) / 1e6);
  if (bytes >= 10ull * 1000) return fmt::format("{:.1f}k", static_cast<double>(bytes) / 1e3);
  return std::to_string(bytes);
}

std::string layer_line(const LayerRowView& row) {
  const auto cycles = row["cycles"].get<uint64_t>();
  const double stall =
      cycles ? static_cast<double>(row["stall_cycles"].get<uint64_t>()) / static_cast<double>(cycles) : 0.0;
  return fmt::format("{:>4} {:<28.28} {:<8} {:<6} {:>12} {:>6.1f}% {:>6.1f}% {:>8} {:>8}  {}\n",
                     row["index"].get<size_t>(), row["name"].get<std::string>(), row["op"].get<std::string>(),
                     row["unit"].get<std::string>(), cycles, 100.0 * row["mac_utilization"].get<double>(),
                     100.0 * stall, si_bytes(row["dram_read_bytes"].get<uint64_t>()),
                     si_bytes(row["dram_write_bytes"].get<uint64_t>()), row["bound"].get<std::string>());
}

// per_inference: false for LLM mode's prefill and decode steps, which are not inferences.
std::string totals_lines(const nlohmann::ordered_json& totals, bool per_inference) {
  std::string out = fmt::format(
      "  total: {} cycles = {:.6f} s, MAC utilisation {:.1f}%, {:.2f} of {:.2f} TOPS, "
      "DRAM {:.2f} GB/s\n",
      totals["cycles"].get<uint64_t>(), totals["time_s"].get<double>(),
      100.0 * totals["mac_utilization"].get<double>(), totals["effective_tops"].get<double>(),
      totals["peak_tops"].get<double>(), totals["dram_bandwidth_gbytes_per_s"].get<double>());
  out += fmt::format("  energy {:.4g} mJ (MAC {:.3g}, SRAM {:.3g}, DRAM {:.3g}, vector {:.3g}, NoC {:.3g}, DMA {:.3g}, "
                     "leakage {:.3g}), average {:.3g} W, peak {:.3g} W over {:.0f} us\n",
                     1e3 * totals["energy_j"].get<double>(), 1e3 * totals["mac_energy_j"].get<double>(),
                     1e3 * totals["sram_energy_j"].get<double>(), 1e3 * totals["dram_energy_j"].get<double>(),
                     1e3 * totals["vector_energy_j"].get<double>(), 1e3 * totals["noc_energy_j"].get<double>(),
                     1e3 * totals["dma_energy_j"].get<double>(), 1e3 * totals["leakage_energy_j"].get<double>(),
                     totals["average_power_w"].get<double>(), totals["peak_power_w"].get<double>(),
                     1e6 * totals["peak_power_window_s"].get<double>());
  if (totals.contains("inferences_per_s") && per_inference) {
    out += fmt::format("  batch {}: {:.2f} inferences/s, {:.2f} inferences/J, {:.3g} TOPS/W\n",
                       totals["batch"].get<uint32_t>(), totals["inferences_per_s"].get<double>(),
                       totals["inferences_per_j"].get<double>(), totals["tops_per_w"].get<double>());
  }
  return out;
}

nlohmann::ordered_json workload_totals(const RunReport& report, const WorkloadSummary& w) {
  return totals_over(operating_config(report), report.layers, w.first_layer, w.end_layer, w.batch);
}

uint64_t workload_macs(const RunReport& report, const WorkloadSummary& w) {
  uint64_t macs = 0;
  for (size_t i = w.first_layer; i < w.end_layer; ++i) macs += report.layers[i]["macs"].get<uint64_t>();
  return macs;
}

// Per NoC link over the run: its counters (bytes carried, cycles busy serialising them, transfers) and
// utilisation of the run time.
nlohmann::ordered_json noc_links_json(const RunReport& report) {
  nlohmann::ordered_json links = nlohmann::ordered_json::array();
  for (const NocLinkUsage& link : report.noc_links) {
    nlohmann::ordered_json item = {{"name", link.name}};
    for (const NocLinkCounter& counter : kNocLinkCounters) item[counter.name] = link.*counter.member;
    item["utilization"] = report.total_cycles > 0 ? static_cast<double>(link.busy_cycles) /
                                                        static_cast<double>(report.total_cycles)
                                                  : 0.0;
    links.push_back(item);
  }
  return links;
}

// The counters of each core's own rows (rows of `layers` sum them; their time split is the slowest
// core's), in the order result.json has always had.
constexpr const char* kCoreRowCounters[] = {"engine_busy_cycles", "stall_memory_cycles",
                                            "stall_dependency_cycles", "macs", "vector_ops",
                                            "dram_read_bytes", "dram_write_bytes", "noc_flit_hops"};

nlohmann::ordered_json cores_json(const RunReport& report) {
  std::vector<const LayerCounter*> counters;
  for (const char* name : kCoreRowCounters) {
    counters.push_back(find_layer_counter(name));
    if (counters.back() == nullptr) throw std::logic_error(std::string("no layer counter ") + name);
  }
  nlohmann::ordered_json cores = nlohmann::ordered_json::array();
  for (size_t core = 0; core < report.core_layers.size(); ++core) {
    nlohmann::ordered_json layers = nlohmann::ordered_json::array();
    for (size_t i = 0; i < report.core_layers[core].size(); ++i) {
      nlohmann::ordered_json layer = {{"layer", i}};
      const LayerStats& stats = report.core_layers[core][i];
      for (const LayerCounter* counter : counters) layer[counter->name] = stats.*counter->member;
      layers.push_back(layer);
    }
    cores.push_back({{"core", core}, {"layers", layers}});
  }
  return cores;
}

nlohmann::ordered_json gpu_section(const GpuBaseline& gpu) {
  nlohmann::ordered_json section;
  section["source"] = gpu.source;
  section["config"] = gpu_config_to_json(gpu.config);
  section["overhead_mode"] = kernel_overhead_mode_name(gpu.config.kernel_overhead.mode);
  section["kernel_overhead_us"] = gpu.config.kernel_overhead.per_kernel_us();
  section["calibration"] = {
      {"data", "A100-SXM4-80GB FP16 GEMM sweep, N = K = 12288 (LLMCompass artifact, REFERENCE.md 3.2)"},
      {"calibrated_gpu", gpu.calibrated_gpu},
      {"applies_to_this_gpu", gpu.calibrated()},
      {"points", gpu.calibration.points},
      {"rms_relative_error", gpu.calibration.rms_relative},
      {"max_relative_error", gpu.calibration.max_abs_relative},
      {"note",
       "the A100 GEMM curve fixes the 16-bit GEMM fractions; the INT8 fraction and L2 residency share are fitted to "
       "MLPerf Inference v3.0 (analysis/calibration/mlperf_v3_0.csv), whose per-point errors `npusim validate-gpu` "
       "prints; other parameters are datasheet peaks and estimated fractions"}};
  return section;
}

std::string comparison_lines(const nlohmann::ordered_json& npu, const nlohmann::ordered_json& c) {
  const auto& g = c["gpu"];
  std::string out = fmt::format("  vs GPU {} ({} overhead, {:.0f} us/kernel):\n", g["gpu"].get<std::string>(),
                                g["overhead_mode"].get<std::string>(), g["kernel_overhead_us"].get<double>());
  const auto line = [&](const char* what, double n, double gv, const char* unit, double scale) {
    out += fmt::format("    {:<24} NPU {:>12.4g} {:<6} GPU {:>12.4g} {:<6}\n", what, n * scale, unit, gv * scale, unit);
  };
  line("latency", npu["time_s"].get<double>(), g["time_s"].get<double>(), "ms", 1e3);
  line("throughput", npu.value("inferences_per_s", 0.0), g["inferences_per_s"].get<double>(), "inf/s", 1.0);
  line("energy per inference", npu.value("energy_per_inference_j", 0.0), g["energy_per_inference_j"].get<double>(),
       "mJ", 1e3);
  line("average power", npu["average_power_w"].get<double>(), g["average_power_w"].get<double>(), "W", 1.0);
  line("inferences per joule", npu.value("inferences_per_j", 0.0), g["inferences_per_j"].get<double>(), "inf/J", 1.0);
  line("TOPS/W", npu["tops_per_w"].get<double>(), g["tops_per_w"].get<double>(), "", 1.0);
  out += "    GPU assumed: " + g["assumptions"].get<std::string>() + "\n";
  out += fmt::format("    NPU is {:.2f}x the GPU's speed and {:.2f}x its inferences/J ({:.2f}x against GPU TDP); "
                     "perf/W divides by modeled average power\n",
                     c["speedup_npu_over_gpu"].get<double>(), c["inferences_per_j_ratio_npu_over_gpu"].get<double>(),
                     c["inferences_per_j_ratio_npu_over_gpu_at_tdp"].get<double>());
  return out;
}

// The A100 GEMM error is the model's own only for the A100; other presets say they are uncalibrated.
std::string calibration_line(const GpuBaseline& gpu) {
  if (gpu.calibrated()) {
    return fmt::format(
        "\nGPU model error on its calibration data (A100 FP16 GEMM sweep): RMS {:.1f}%, max {:.1f}%; "
        "on whole networks (MLPerf Inference v3.0 set): npusim validate-gpu\n",
        100.0 * gpu.calibration.rms_relative, 100.0 * gpu.calibration.max_abs_relative);
  }
  return fmt::format(
      "\nGPU model for {}: not calibrated on kernel measurements of this GPU (datasheet peaks and estimated "
      "fractions; the GEMM calibration is {}'s); whole-network checks where MLPerf data exist: npusim "
      "validate-gpu\n",
      gpu.config.name, gpu.calibrated_gpu);
}

// The rows of one workload the table lists: every one for "all" (and for "auto" up to kAutoLayerRows),
// none for "none" (and "auto" past it), else those whose name or op contains the filter.
std::vector<size_t> listed_layers(const RunReport& report, const WorkloadSummary& w, const std::string& filter) {
  std::vector<size_t> rows;
  const size_t count = w.end_layer - w.first_layer;
  if (filter == "none" || (filter == "auto" && count > kAutoLayerRows)) return rows;
  for (size_t i = w.first_layer; i < w.end_layer; ++i) {
    const auto& row = report.layers[i];
    const bool every = filter == "all" || filter == "auto";
    if (every || row["name"].get<std::string>().find(filter) != std::string::npos ||
        row["op"].get<std::string>().find(filter) != std::string::npos) {
      rows.push_back(i);
    }
  }
  return rows;
}

// The workload's layers that took the most cycles, with their share.
std::string slowest_layers(const RunReport& report, const WorkloadSummary& w) {
  std::vector<size_t> rows;
  uint64_t total = 0;
  for (size_t i = w.first_layer; i < w.end_layer; ++i) {
    rows.push_back(i);
    total += report.layers[i]["cycles"].get<uint64_t>();
  }
  const auto cycles = [&](size_t i) { return report.layers[i]["cycles"].get<uint64_t>(); };
  std::stable_sort(rows.begin(), rows.end(), [&](size_t a, size_t b) { return cycles(a) > cycles(b); });
  rows.resize(std::min<size_t>(rows.size(), 5));
  std::string out = "  slowest layers:";
  for (const size_t i : rows) {
    out += fmt::format(" {} {} ({:.1f}%);", report.layers[i]["index"].get<size_t>(),
                       report.layers[i]["name"].get<std::string>(),
                       total > 0 ? 100.0 * static_cast<double>(cycles(i)) / static_cast<double>(total) : 0.0);
  }
  out.back() = '\n';
  return out;
}

std::string layer_table(const RunReport& report, const WorkloadSummary& w, const std::string& filter) {
  const std::vector<size_t> rows = listed_layers(report, w, filter);
  const size_t count = w.end_layer - w.first_layer;
  std::string out;
  if (!rows.empty()) {
    out += fmt::format("{:>4} {:<28} {:<8} {:<6} {:>12} {:>7} {:>7} {:>8} {:>8}  {}\n", "#", "layer", "op", "unit",
                       "cycles", "util", "stall", "DRAM rd", "DRAM wr", "bound");
    for (const size_t i : rows) out += layer_line(report.layers[i]);
  }
  if (rows.size() < count) {
    out += fmt::format("  {} of {} layers listed (--layers all: every layer; --layers TEXT: those whose name or op "
                       "contains TEXT; layers.csv with --out)\n",
                       rows.size(), count);
    if (rows.empty() && count > 0) out += slowest_layers(report, w);
  }
  return out;
}

// result.json without its rows: `layers` goes after `workloads` (stream_report_json).
nlohmann::ordered_json report_head_json(const RunReport& report) {
  nlohmann::ordered_json root;
  root["schema_version"] = kResultSchemaVersion;
  root["tool"] = "npusim";
  root["npu"] = {{"source", report.npu_source}, {"config", npu_config_to_json(report.config)}};
  root["timing_mode"] = timing_mode_name(report.config.timing_mode);
  root["energy"] = {{"model", "event counts x per-event energy + leakage x time (analysis/energy)"},
                    {"table", energy_table_to_json(report.energy, report.config.energy)}};
  root["power"] = power_section(report);
  if (report.gpu) root["gpu"] = gpu_section(*report.gpu);
  nlohmann::ordered_json workloads = nlohmann::ordered_json::array();
  for (const auto& w : report.workloads) {
    nlohmann::ordered_json item = {{"name", w.name},
                                   {"source", w.source},
                                   {"batch", w.batch},
                                   {"dtype", std::string(dtype_name(w.dtype))},
                                   {"totals", workload_totals(report, w)}};
    if (w.gpu) item["comparison"] = comparison_json(item["totals"], *w.gpu, workload_macs(report, w), w.batch);
    if (!w.warnings.empty()) item["warnings"] = w.warnings;
    if (!w.notes.empty()) item["notes"] = w.notes;
    workloads.push_back(item);
  }
  root["workloads"] = workloads;
  root["totals"] = report.totals;
  if (!report.noc_links.empty()) root["noc_links"] = noc_links_json(report);
  if (report.core_layers.size() > 1) root["cores"] = cores_json(report);
  return root;
}

}  // namespace

void stream_report_json(const RunReport& report, const ChunkSink& emit) {
  const nlohmann::ordered_json head = report_head_json(report);
  JsonObjectStream out(emit);
  for (const auto& item : head.items()) {
    require_finite_numbers(item.value(), "result.json " + item.key());
    out.member(item.key(), item.value());
    if (item.key() != "workloads") continue;
    out.begin_array("layers");
    for (size_t i = 0; i < report.layers.size(); ++i) {
      const nlohmann::ordered_json row = report.layers[i].to_json();
      require_finite_numbers(row, "result.json layers");
      out.element(row);
    }
    out.end_array();
  }
  out.finish();
}

void stream_report_csv(const RunReport& report, const ChunkSink& emit) {
  if (report.layers.empty()) return;
  std::string line;
  for (const std::string& column : report.layers.columns()) line += (line.empty() ? "" : ",") + column;
  emit(line + "\n");
  for (size_t i = 0; i < report.layers.size(); ++i) {
    line.clear();
    for (const auto& value : report.layers.values(i)) line += (line.empty() ? "" : ",") + csv_cell_text(value);
    emit(line + "\n");
  }
}

void write_result_files(const RunReport& report, const std::string& out_dir) {
  // Rendered while written, into a staging folder renamed into place as one unit: an error part way
  // (a non-finite metric, a full disk) leaves the previous set untouched.
  write_streamed_result_set(out_dir, {{"layers.csv", [&](const ChunkSink& emit) { stream_report_csv(report, emit); }},
                                      {"result.json", [&](const ChunkSink& emit) { stream_report_json(report, emit); }}});
}

std::string report_to_table(const RunReport& report, const std::string& layers_filter) {
  const NpuConfig& c = report.config;
  std::string out = fmt::format("NPU {}: {}x{} {} array at {} MHz, {} KiB SRAM, {} {:.1f} GB/s, timing {}\n",
                                c.name, c.array.rows, c.array.cols, dataflow_name(c.array.dataflow),
                                c.clock_mhz, c.sram.capacity_bytes / 1024, c.dram.kind,
                                c.dram.bandwidth_gbytes_per_s, timing_mode_name(c.timing_mode));
  const auto& published = c.area.published_die_mm2;
  out += fmt::format("  die area {:.1f} mm2 modeled{}, idle power {:.3g} W at {:.3f} V, {} nm\n",
                     report.power.die_area_mm2,
                     published ? fmt::format(" vs {:.0f} published ({:+.0f}%)", *published,
                                             100.0 * (report.power.die_area_mm2 / *published - 1.0))
                               : std::string(" (no published figure)"),
                     report.power.idle_w, report.power.voltage_v, report.power.node.node_nm);
  for (const auto& w : report.workloads) {
    out += fmt::format("\nWorkload {} (batch {}, {})\n", w.name, w.batch, dtype_name(w.dtype));
    out += layer_table(report, w, layers_filter);
    const nlohmann::ordered_json totals = workload_totals(report, w);
    out += totals_lines(totals, !report.llm_mode);
    out += power_lines(report, totals);
    for (const auto& note : w.notes) out += "  assumed: " + note + "\n";
    if (w.gpu && !report.llm_mode) {
      out += comparison_lines(totals, comparison_json(totals, *w.gpu, workload_macs(report, w), w.batch));
    }
  }
  if (report.gpu) out += calibration_line(*report.gpu);
  return out;
}

}  // namespace npusim
