#include "analysis/gpu/gpu_dvfs.h"

namespace npusim {
namespace {

constexpr int kBisectionSteps = 60;  // 2^-60 of the clock range: far below any reported digit

// Finishes the rows at `ratio`; returns their average power (fused rows carry no time).
double average_power_at(std::vector<GpuOpEstimate>& rows, const GpuConfig& config, double ratio) {
  double time_s = 0.0;
  double energy_j = 0.0;
  for (auto& row : rows) {
    if (row.op_class == GpuOpClass::kFusedEpilogue) continue;
    finish_gpu_row(row, config, ratio);
    time_s += row.time_s;
    energy_j += row.energy_j;
  }
  return time_s > 0.0 ? energy_j / time_s : config.idle_w;
}

}  // namespace

double gpu_power_w(const GpuConfig& config, double compute_utilization, double dram_utilization,
                   double clock_ratio) {
  const double activity = config.w_compute * compute_utilization * clock_ratio * clock_ratio +
                          config.w_memory * dram_utilization;
  return config.idle_w + (config.tdp_w - config.idle_w) * activity;
}

double solve_sustained_clock(std::vector<GpuOpEstimate>& rows, const GpuConfig& config) {
  const double cap_w = gpu_power_cap_w(config);
  if (average_power_at(rows, config, 1.0) <= cap_w) return 1.0;
  // Average power rises with the clock (compute-bound rows: u_compute ~ r, so dynamic power ~ r^3;
  // memory-bound rows: fixed time and u_compute, dynamic power ~ r^2), so bisection finds the highest
  // ratio within the cap.
  double low = config.power_cap.min_clock_ratio;
  double high = 1.0;
  for (int step = 0; step < kBisectionSteps; ++step) {
    const double middle = 0.5 * (low + high);
    (average_power_at(rows, config, middle) <= cap_w ? low : high) = middle;
  }
  average_power_at(rows, config, low);
  return low;
}

}  // namespace npusim
