#include "analysis/gpu/gpu_calibration.h"

#include <algorithm>
#include <cmath>

#include "analysis/gpu/gpu_model.h"

namespace npusim {

const std::vector<GemmLatencyPoint>& a100_gemm_measurements() {
  static const std::vector<GemmLatencyPoint> kPoints{
      {64, 0.1900},   {128, 0.2003},  {256, 0.3185},  {512, 0.6118},    {1024, 1.1990},
      {2048, 2.3586}, {4096, 4.4576}, {8192, 8.6216}, {16384, 17.0307}, {32768, 35.4407}};
  return kPoints;
}

double modeled_calibration_gemm_ms(uint64_t m, const GpuConfig& config) {
  Operator op;
  op.name = "gemm";
  op.kind = OpKind::kFullyConnected;
  op.dtype = DType::kFp16;
  op.params = MatMulParams{m, kA100CalibrationN, kA100CalibrationK, true};
  return estimate_gpu_op(op, config).time_s * 1e3;
}

CalibrationError a100_gemm_calibration_error(GpuConfig a100) {
  // The measurements time PyTorch ops one at a time: the eager overhead applies.
  a100.kernel_overhead.mode = KernelOverheadMode::kEager;
  CalibrationError error;
  double sum_squares = 0.0;
  for (const GemmLatencyPoint& point : a100_gemm_measurements()) {
    const double relative = (modeled_calibration_gemm_ms(point.m, a100) - point.measured_ms) / point.measured_ms;
    sum_squares += relative * relative;
    error.max_abs_relative = std::max(error.max_abs_relative, std::fabs(relative));
    ++error.points;
  }
  error.rms_relative = std::sqrt(sum_squares / static_cast<double>(error.points));
  return error;
}

}  // namespace npusim
