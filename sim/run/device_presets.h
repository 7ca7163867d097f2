// Device configs by preset name or file, with their --set overrides: the NPU, the GPU baseline and the
// multi-chip system. Reading and validating only (no simulation), so that spec parsers (fleet) and their
// fuzz targets can resolve devices without the simulator.
#pragma once

#include <string>
#include <vector>

#include "arch/spec/npu_config.h"
#include "arch/spec/system_config.h"
#include "sim/report/run_report.h"

namespace npusim {

// Loads, layers, overrides and validates an NPU config; `source` receives the file it came from.
// Overrides for other roots ("gpu.") are skipped here; a root that is neither is an error.
NpuConfig resolve_npu_config(const std::string& spec, const std::vector<std::string>& overrides,
                             std::string* source);

// The GPU baseline config (preset name or file) with its "gpu." overrides, and the model's calibration error.
GpuBaseline resolve_gpu_baseline(const std::string& spec, const std::vector<std::string>& overrides);

// The system config with its "system." overrides; a preset name or a file.
SystemConfig resolve_system_config(const std::string& spec, const std::vector<std::string>& overrides,
                                   std::string* source);

}  // namespace npusim
