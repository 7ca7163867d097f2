// `npusim validate-gpu`: the GPU baseline against its calibration set (analysis/gpu/gpu_validation.h),
// as a table or JSON on stdout.
#pragma once

#include <string>
#include <vector>

namespace npusim {

struct ValidateGpuOptions {
  std::string gpu;                     // empty: every point; else only this preset's
  std::string data;                    // the calibration CSV; empty: default_calibration_file()
  std::vector<std::string> overrides;  // "gpu.l2_residency=false", applied to every preset
  bool json = false;
};

// Returns the exit code; bad input (file, row, column, flag) throws InputError.
int validate_gpu_command(const ValidateGpuOptions& options);

}  // namespace npusim
