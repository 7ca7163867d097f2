// SCALE-Sim v2's three report files (simulator.generate_reports()), byte for byte: the same headers,
// one row per layer "LayerID, v1, v2, ...,", ints as ints, every cycle SCALE-Sim holds as a float64
// (SRAM/DRAM start and stop) with ".0", and ratios in Python's repr.
#pragma once

#include <string>
#include <vector>

#include "arch/timing/scalesim_memory_types.h"

namespace npusim {

struct ScaleSimReportFiles {
  std::string compute, bandwidth, detailed_access;  // file contents
};

ScaleSimReportFiles format_scalesim_reports(const std::vector<ScaleSimLayerReport>& layers);

// Writes COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv and DETAILED_ACCESS_REPORT.csv into `dir`.
void write_scalesim_reports(const std::string& dir, const ScaleSimReportFiles& files);

}  // namespace npusim
