// Analytical GPU baseline: per-operator time (roofline with achievable fractions, tile and wave
// quantization, fixed kernel overhead), power (idle + activity-weighted share of TDP - idle) and energy.
//
// Per kernel, at clock ratio r (sustained / configured clock, gpu_dvfs.h):
//              compute_s = work / (peak · r · fraction(class) · eff_tile · eff_wave)
//              memory_s  = DRAM bytes / (bandwidth · fraction(class))
//              time_s    = max(compute_s, memory_s) + kernel overhead
//              power_w   = idle + (tdp - idle) · (w_compute · u_compute · r^2 + w_memory · u_dram)
// with u the achieved fractions of the configured peaks (u_compute · r^2 = u at clock r times r^3).
// DRAM bytes = inputs + weights + outputs when the smaller GEMM operand fits in L2 (read once); else the
// larger one is re-read once per L2-sized pass over the smaller.
//
// Fusion rule (fuse_elementwise): an elementwise op whose first producer has the same number of output
// elements and no other consumer runs as that producer's epilogue. It launches no kernel and adds no
// output traffic (the producer writes the result once); its extra operands (a residual add's second
// tensor) are read inside the producer's kernel, adding to the producer's DRAM bytes. Its own row shows
// zero time and energy and names the kernel it joined. Activations (conv/GEMM + bias + activation
// [+ residual add], as TensorRT fuses them) then stay in L2 between kernels when they fit
// (gpu_l2_residency.h), and the offline engine batch is searched (estimate_gpu_workload).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/gpu/gpu_config.h"
#include "workloads/ir/operator.h"

namespace npusim {

enum class GpuOpClass : uint8_t {
  kLargeGemm,      // tensor cores at achievable.large_gemm; memory side at weight_streaming
  kSmallKGemm,     // K <= small_k_max: tensor cores at small_k_gemm; memory side at weight_streaming
                   // for convs/FCs, streaming for matmuls of two activations and attention
  kGemv,           // M <= gemv_max_m: weight streaming, no tile/wave quantization (split-K kernels)
  kStreaming,      // elementwise, pooling, depthwise conv: CUDA cores; memory side at streaming
  kFusedEpilogue,  // folded into its producer's kernel
};
const char* gpu_op_class_name(GpuOpClass op_class);

// The throughput an op in `dtype` runs at, after clock_derate: the tensor-core peak, or for fp32 without
// a tensor entry the CUDA-core fp32 peak. Other dtypes absent from peak_tensor_tflops are an InputError
// at "gpu.peak_tensor_tflops.<dtype>".
struct GpuPeak {
  double tflops = 0.0;
  bool tensor_cores = true;
};
GpuPeak gpu_peak(const GpuConfig& config, const std::string& dtype);

// Output-tile choice for a GEMM view: eff_tile = M·N / (ceil(M/Tm)·Tm · ceil(N/Tn)·Tn), waves =
// ceil(tiles / (SMs · CTAs per SM)), eff_wave = tiles / (waves · SMs · CTAs per SM); the first listed
// shape whose eff_tile · eff_wave is within prefer_larger_within of the best shape's.
struct GpuTileChoice {
  GpuTile tile;
  uint64_t tiles = 0;  // all GEMMs of the view together
  uint64_t waves = 0;
  double tile_efficiency = 1.0;
  double wave_efficiency = 1.0;
};
GpuTileChoice choose_gpu_tile(const GemmView& view, const GpuConfig& config);

struct GpuOpEstimate {
  std::string name;
  GpuOpClass op_class = GpuOpClass::kLargeGemm;
  std::string dtype;  // the type it runs in on the GPU
  bool tensor_cores = false;
  int64_t fused_into = -1;    // index of the kernel it joined (kFusedEpilogue), else -1
  double flops = 0.0;         // 2 · MACs
  double compute_work = 0.0;  // flops on the unit it runs on (element ops for streaming kernels)
  double peak_flops_per_s = 0.0;
  double compute_fraction = 1.0;
  double dram_bytes = 0.0;
  double bandwidth_fraction = 1.0;
  GpuTileChoice tile;  // quantization applied (efficiencies 1 when none)
  double compute_s = 0.0;
  double memory_s = 0.0;
  double overhead_s = 0.0;
  double time_s = 0.0;
  double compute_utilization = 0.0;  // achieved / peak of the unit it runs on, over time_s
  double dram_utilization = 0.0;     // achieved / peak DRAM bandwidth, over time_s
  double l2_hit_bytes = 0.0;  // activation bytes served by L2 residency instead of DRAM
  double power_w = 0.0;
  double energy_j = 0.0;
};

// One standalone kernel for `op` (no fusion, no L2 residency), at the clock its own power allows.
GpuOpEstimate estimate_gpu_op(const Operator& op, const GpuConfig& config);

// The row of `op` without times: class, work, rates and DRAM bytes; finish_gpu_row adds the rest.
GpuOpEstimate plan_gpu_op(const Operator& op, const GpuConfig& config);
// Time, utilisation, power and energy of a planned row at `clock_ratio` of the configured clock.
void finish_gpu_row(GpuOpEstimate& row, const GpuConfig& config, double clock_ratio);

struct GpuRunEstimate {
  std::string gpu;
  std::string overhead_mode;  // "graphs" or "eager": say which in every report
  double kernel_overhead_us = 0.0;
  bool fuse_elementwise = true;
  bool l2_residency = false;       // activations kept in L2 between kernels when they fit
  double l2_hit_bytes = 0.0;       // all chunks together
  uint32_t batch = 1;              // the workload's batch; 0 when its operators differ (no search)
  uint32_t engine_batch = 1;       // the batch each engine run takes (batch / engine_batch runs)
  double clock_mhz = 0.0;          // sustained: configured clock x derate x the DVFS ratio
  double clock_ratio = 1.0;        // sustained / configured (after clock_derate)
  double power_cap_w = 0.0;        // the cap the clock is held to (tdp_w or the power mode's)
  std::string power_mode;          // empty: no named mode
  std::vector<GpuOpEstimate> ops;  // one row per workload operator, in order (all engine runs together)
  uint64_t kernels = 0;
  double flops = 0.0;
  double time_s = 0.0;           // kernels back to back, overheads included
  double energy_j = 0.0;         // power integrated over the whole timeline, overheads included
  double average_power_w = 0.0;  // energy_j / time_s
  double tdp_w = 0.0;
  double achieved_tflops = 0.0;
  double tflops_per_w = 0.0;         // divides by the modeled average power
  double tflops_per_w_at_tdp = 0.0;  // divides by TDP, as vendor perf/W claims do
};

// The whole workload: fusion, L2 residency, the sustained clock for the run's average power, and (with
// engine_batch_search, when every op has the same batch B) the engine batch b in B, B/2, B/4, ... that
// runs B items fastest as B/b engine runs; the rows then hold all runs together.
GpuRunEstimate estimate_gpu_workload(const Workload& workload, const GpuConfig& config);

// One line for reports: the overhead, fusion, L2 residency, engine batch and sustained clock assumed.
std::string gpu_run_assumptions(const GpuRunEstimate& estimate);

nlohmann::json gpu_run_estimate_to_json(const GpuRunEstimate& estimate);

}  // namespace npusim
