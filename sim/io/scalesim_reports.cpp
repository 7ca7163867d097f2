#include "sim/io/scalesim_reports.h"

#include <string>

#include "sim/io/atomic_file.h"
#include "sim/io/python_repr.h"

namespace npusim {
namespace {

constexpr const char* kComputeHeader =
    "LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,\n";
constexpr const char* kBandwidthHeader =
    "LayerID, Avg IFMAP SRAM BW, Avg FILTER SRAM BW, Avg OFMAP SRAM BW, "
    "Avg IFMAP DRAM BW, Avg FILTER DRAM BW, Avg OFMAP DRAM BW,\n";
constexpr const char* kDetailHeader =
    "LayerID, "
    "SRAM IFMAP Start Cycle, SRAM IFMAP Stop Cycle, SRAM IFMAP Reads, "
    "SRAM Filter Start Cycle, SRAM Filter Stop Cycle, SRAM Filter Reads, "
    "SRAM OFMAP Start Cycle, SRAM OFMAP Stop Cycle, SRAM OFMAP Writes, "
    "DRAM IFMAP Start Cycle, DRAM IFMAP Stop Cycle, DRAM IFMAP Reads, "
    "DRAM Filter Start Cycle, DRAM Filter Stop Cycle, DRAM Filter Reads, "
    "DRAM OFMAP Start Cycle, DRAM OFMAP Stop Cycle, DRAM OFMAP Writes,\n";

std::string cycle(int64_t value) { return python_float_repr(static_cast<double>(value)); }

// str(lid) + ', ' + ', '.join(items) + ',\n'
std::string row(size_t layer, std::initializer_list<std::string> items) {
  std::string out = std::to_string(layer);
  for (const std::string& item : items) out += ", " + item;
  return out + ",\n";
}

std::string sram_items(const ScaleSimOperandAccess& a) {
  return cycle(a.sram_start_cycle) + ", " + cycle(a.sram_stop_cycle) + ", " + std::to_string(a.sram_accesses);
}

std::string dram_items(const ScaleSimOperandAccess& a) {
  return cycle(a.dram_start_cycle) + ", " + cycle(a.dram_stop_cycle) + ", " + std::to_string(a.dram_accesses);
}

}  // namespace

ScaleSimReportFiles format_scalesim_reports(const std::vector<ScaleSimLayerReport>& layers) {
  ScaleSimReportFiles files{kComputeHeader, kBandwidthHeader, kDetailHeader};
  for (size_t i = 0; i < layers.size(); ++i) {
    const ScaleSimLayerReport& r = layers[i];
    files.compute +=
        row(i, {std::to_string(r.total_cycles), std::to_string(r.stall_cycles),
                python_float_repr(r.overall_util_percent), python_float_repr(r.mapping_efficiency_percent),
                python_float_repr(r.compute_util_percent)});
    files.bandwidth += row(i, {python_float_repr(r.ifmap_sram_bw), python_float_repr(r.filter_sram_bw),
                               python_float_repr(r.ofmap_sram_bw), python_float_repr(r.ifmap_dram_bw),
                               python_float_repr(r.filter_dram_bw), python_float_repr(r.ofmap_dram_bw)});
    files.detailed_access += row(i, {sram_items(r.ifmap), sram_items(r.filter), sram_items(r.ofmap),
                                     dram_items(r.ifmap), dram_items(r.filter), dram_items(r.ofmap)});
  }
  return files;
}

void write_scalesim_reports(const std::string& dir, const ScaleSimReportFiles& files) {
  write_file_atomically(dir + "/COMPUTE_REPORT.csv", files.compute);
  write_file_atomically(dir + "/BANDWIDTH_REPORT.csv", files.bandwidth);
  write_file_atomically(dir + "/DETAILED_ACCESS_REPORT.csv", files.detailed_access);
}

}  // namespace npusim
