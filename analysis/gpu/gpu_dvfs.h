// Power-capped clocks: the sustained clock a workload's power draw allows under the GPU's cap.
//
// DVFS law: compute power is switching power, ~ f·V^2, and V scales with f over the DVFS range, so at a
// fixed utilization of the clocked peak it goes as f^3; DRAM power follows bytes/s, not the core clock;
// idle power is static. With r = f / f_configured and u_compute the achieved fraction of the configured
// peak (u at clock r times r):
//     P(r) = idle + (tdp - idle) · (w_compute · u_compute · r^2 + w_memory · u_dram)
// The sustained ratio is the highest r in [min_clock_ratio, 1] whose average power (energy / time over
// the whole run, as a power limiter averages over milliseconds) is within the cap.
#pragma once

#include <vector>

#include "analysis/gpu/gpu_config.h"
#include "analysis/gpu/gpu_model.h"

namespace npusim {

double gpu_power_w(const GpuConfig& config, double compute_utilization, double dram_utilization,
                   double clock_ratio);

// Finishes every planned row at the sustained clock ratio and returns that ratio.
double solve_sustained_clock(std::vector<GpuOpEstimate>& rows, const GpuConfig& config);

}  // namespace npusim
