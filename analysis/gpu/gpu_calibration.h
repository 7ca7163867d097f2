// The one measured data set the GPU model is calibrated on (REFERENCE.md §3.2) and the model's error on it,
// shared by the calibration test and every comparison report.
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/gpu/gpu_config.h"

namespace npusim {

struct GemmLatencyPoint {
  uint64_t m = 0;
  double measured_ms = 0.0;
};

// LLMCompass artifact matmul_A100.csv (BSD-3, P): A100-SXM4-80GB, FP16 cuBLAS through PyTorch,
// N = K = 12288, latency per M.
constexpr uint64_t kA100CalibrationN = 12288;
constexpr uint64_t kA100CalibrationK = 12288;
const std::vector<GemmLatencyPoint>& a100_gemm_measurements();

// The model's latency for one point of that sweep (FP16 GEMM M x 12288 x 12288).
double modeled_calibration_gemm_ms(uint64_t m, const GpuConfig& config);

struct CalibrationError {
  double rms_relative = 0.0;
  double max_abs_relative = 0.0;
  uint64_t points = 0;
};
// Error of `a100` (an A100 config, eager overhead as measured) on the sweep.
CalibrationError a100_gemm_calibration_error(GpuConfig a100);

}  // namespace npusim
