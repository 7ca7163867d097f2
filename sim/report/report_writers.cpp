// result.json, layers.csv and the terminal table, all from the same RunReport rows.
#include <fmt/format.h>

#include "sim/core/npu_config_parse.h"
#include "sim/report/run_report.h"

namespace npusim {
namespace {

std::string csv_cell(const nlohmann::ordered_json& value) {
  if (value.is_null()) return "";
  if (!value.is_string()) return value.dump();
  const std::string text = value.get<std::string>();
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

std::string si_bytes(uint64_t bytes) {
  if (bytes >= 10ull * 1000 * 1000) return fmt::format("{:.1f}M", static_cast<double>(bytes) / 1e6);
  if (bytes >= 10ull * 1000) return fmt::format("{:.1f}k", static_cast<double>(bytes) / 1e3);
  return std::to_string(bytes);
}

std::string layer_line(const nlohmann::ordered_json& row) {
  const auto cycles = row["cycles"].get<uint64_t>();
  const double stall =
      cycles ? static_cast<double>(row["stall_cycles"].get<uint64_t>()) / static_cast<double>(cycles) : 0.0;
  return fmt::format("{:>4} {:<28.28} {:<8} {:<6} {:>12} {:>6.1f}% {:>6.1f}% {:>8} {:>8}  {}\n",
                     row["index"].get<size_t>(), row["name"].get<std::string>(), row["op"].get<std::string>(),
                     row["unit"].get<std::string>(), cycles, 100.0 * row["mac_utilization"].get<double>(),
                     100.0 * stall, si_bytes(row["dram_read_bytes"].get<uint64_t>()),
                     si_bytes(row["dram_write_bytes"].get<uint64_t>()), row["bound"].get<std::string>());
}

std::string totals_lines(const nlohmann::ordered_json& totals) {
  std::string out = fmt::format(
      "  total: {} cycles = {:.6f} s, MAC utilisation {:.1f}%, {:.2f} of {:.2f} TOPS, "
      "DRAM {:.2f} GB/s\n",
      totals["cycles"].get<uint64_t>(), totals["time_s"].get<double>(),
      100.0 * totals["mac_utilization"].get<double>(), totals["effective_tops"].get<double>(),
      totals["peak_tops"].get<double>(), totals["dram_bandwidth_gbytes_per_s"].get<double>());
  if (totals.contains("inferences_per_s")) {
    out += fmt::format("  batch {}: {:.2f} inferences/s\n", totals["batch"].get<uint32_t>(),
                       totals["inferences_per_s"].get<double>());
  }
  return out;
}

}  // namespace

nlohmann::ordered_json report_to_json(const RunReport& report) {
  nlohmann::ordered_json root;
  root["schema_version"] = kResultSchemaVersion;
  root["tool"] = "npusim";
  root["npu"] = {{"source", report.npu_source}, {"config", npu_config_to_json(report.config)}};
  root["timing_mode"] = timing_mode_name(report.config.timing_mode);
  nlohmann::ordered_json workloads = nlohmann::ordered_json::array();
  for (const auto& w : report.workloads) {
    workloads.push_back(
        {{"name", w.name},
         {"source", w.source},
         {"batch", w.batch},
         {"dtype", std::string(dtype_name(w.dtype))},
         {"totals", totals_over(report.config, report.layers, w.first_layer, w.end_layer, w.batch)}});
  }
  root["workloads"] = workloads;
  root["layers"] = report.layers;
  root["totals"] = report.totals;
  return root;
}

std::string report_to_csv(const RunReport& report) {
  if (report.layers.empty()) return "";
  std::string out;
  for (const auto& item : report.layers.front().items()) out += (out.empty() ? "" : ",") + item.key();
  out += "\n";
  for (const auto& row : report.layers) {
    std::string line;
    for (const auto& item : row.items()) line += (line.empty() ? "" : ",") + csv_cell(item.value());
    out += line + "\n";
  }
  return out;
}

std::string report_to_table(const RunReport& report) {
  const NpuConfig& c = report.config;
  std::string out = fmt::format("NPU {}: {}x{} {} array at {} MHz, {} KiB SRAM, {} {:.1f} GB/s, timing {}\n",
                                c.name, c.array.rows, c.array.cols, dataflow_name(c.array.dataflow),
                                c.clock_mhz, c.sram.capacity_bytes / 1024, c.dram.kind,
                                c.dram.bandwidth_gbytes_per_s, timing_mode_name(c.timing_mode));
  for (const auto& w : report.workloads) {
    out += fmt::format("\nWorkload {} (batch {}, {})\n", w.name, w.batch, dtype_name(w.dtype));
    out += fmt::format("{:>4} {:<28} {:<8} {:<6} {:>12} {:>7} {:>7} {:>8} {:>8}  {}\n", "#", "layer", "op",
                       "unit", "cycles", "util", "stall", "DRAM rd", "DRAM wr", "bound");
    for (size_t i = w.first_layer; i < w.end_layer; ++i) out += layer_line(report.layers[i]);
    out += totals_lines(totals_over(c, report.layers, w.first_layer, w.end_layer, w.batch));
  }
  return out;
}

}  // namespace npusim
