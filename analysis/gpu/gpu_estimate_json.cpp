// JSON form of a GPU run estimate (per-kernel rows and totals), for result files and debugging.
#include "analysis/gpu/gpu_model.h"

namespace npusim {

nlohmann::json gpu_run_estimate_to_json(const GpuRunEstimate& estimate) {
  nlohmann::json ops = nlohmann::json::array();
  for (const auto& row : estimate.ops) {
    nlohmann::json item = {{"name", row.name},
                           {"class", gpu_op_class_name(row.op_class)},
                           {"dtype", row.dtype},
                           {"tensor_cores", row.tensor_cores},
                           {"flops", row.flops},
                           {"dram_bytes", row.dram_bytes},
                           {"l2_hit_bytes", row.l2_hit_bytes},
                           {"compute_s", row.compute_s},
                           {"memory_s", row.memory_s},
                           {"overhead_s", row.overhead_s},
                           {"time_s", row.time_s},
                           {"compute_utilization", row.compute_utilization},
                           {"dram_utilization", row.dram_utilization},
                           {"power_w", row.power_w},
                           {"energy_j", row.energy_j}};
    if (row.tile.tiles > 0) {
      item["tile"] = std::to_string(row.tile.tile.m) + "x" + std::to_string(row.tile.tile.n);
      item["tile_efficiency"] = row.tile.tile_efficiency;
      item["wave_efficiency"] = row.tile.wave_efficiency;
    }
    if (row.fused_into >= 0) item["fused_into"] = row.fused_into;
    ops.push_back(item);
  }
  return {{"gpu", estimate.gpu},
          {"overhead_mode", estimate.overhead_mode},
          {"kernel_overhead_us", estimate.kernel_overhead_us},
          {"fuse_elementwise", estimate.fuse_elementwise},
          {"l2_residency", estimate.l2_residency},
          {"l2_hit_bytes", estimate.l2_hit_bytes},
          {"batch", estimate.batch},
          {"engine_batch", estimate.engine_batch},
          {"sustained_clock_mhz", estimate.clock_mhz},
          {"clock_ratio", estimate.clock_ratio},
          {"power_cap_w", estimate.power_cap_w},
          {"power_mode", estimate.power_mode},
          {"assumptions", gpu_run_assumptions(estimate)},
          {"kernels", estimate.kernels},
          {"flops", estimate.flops},
          {"time_s", estimate.time_s},
          {"energy_j", estimate.energy_j},
          {"average_power_w", estimate.average_power_w},
          {"tdp_w", estimate.tdp_w},
          {"achieved_tflops", estimate.achieved_tflops},
          {"tflops_per_w", estimate.tflops_per_w},
          {"tflops_per_w_at_tdp", estimate.tflops_per_w_at_tdp},
          {"power_note",
           "average_power_w integrates modeled power over every kernel, overheads included; "
           "tflops_per_w_at_tdp divides by TDP as vendor claims do"},
          {"ops", ops}};
}

}  // namespace npusim
