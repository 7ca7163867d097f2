// Validated GPU baseline configuration (JSON root "gpu"): specs, achievable fractions, overheads, tiling
// and power weights for the analytical GPU model in gpu_model.h.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arch/spec/units.h"

namespace npusim {

// Fractions of peak a kernel of each class reaches (REFERENCE.md §3.2).
struct GpuAchievable {
  double large_gemm = 0.87;  // of tensor peak: GEMMs/convs that are not the classes below
  std::map<std::string, double> large_gemm_by_dtype;  // per-dtype override (H100: fp8 0.71 vs bf16 0.80)
  double small_k_gemm = 0.5;  // of tensor peak: attention-like GEMMs with K <= small_k_max
  uint64_t small_k_max = 128;
  uint64_t gemv_max_m = 16;        // M at or below this is a weight-streaming GEMV (decode)
  double streaming = 0.7;          // of DRAM bandwidth: elementwise, pooling, depthwise, small-K GEMMs
  double weight_streaming = 0.85;  // of DRAM bandwidth: the memory side of GEMMs and GEMVs
};

enum class KernelOverheadMode : uint8_t { kGraphs, kEager };
const char* kernel_overhead_mode_name(KernelOverheadMode mode);  // "graphs", "eager"

// Fixed time per kernel launch: CUDA graphs / fused serving engines, or eager PyTorch.
struct GpuKernelOverhead {
  KernelOverheadMode mode = KernelOverheadMode::kGraphs;
  double graphs_us = 5.0;
  double eager_us = 20.0;

  double per_kernel_us() const { return mode == KernelOverheadMode::kGraphs ? graphs_us : eager_us; }
};

// Sustained clock under a power cap (gpu_dvfs.h): compute power scales with f^3 (f·V^2, V ~ f).
struct GpuPowerCap {
  std::map<std::string, double> modes_w;  // named power modes (Jetson nvpmodel), cap in W
  std::string mode;                       // empty: the cap is tdp_w; else one of modes_w
  double min_clock_ratio = 0.3;           // the DVFS floor, as a fraction of the configured clock
};

struct GpuTile {
  uint32_t m = 128;
  uint32_t n = 128;
};

struct GpuConfig {
  std::string name = "custom";
  std::string description;
  std::map<std::string, std::string> sources;  // field -> where its value comes from (P/S/D/E)
  uint32_t sms = 108;
  double clock_mhz = 1410.0;  // the boost clock the peak figures assume (informational)
  double clock_derate = 1.0;  // sustained / boost clock for power-capped parts; scales every peak
  // Dense tensor-core peak per operand type, TFLOPS (TOPS for integers); absent = unsupported.
  std::map<std::string, double> peak_tensor_tflops{{"fp16", 312.0}, {"bf16", 312.0}, {"int8", 624.0}};
  double fp32_tflops = 19.5;  // non-tensor (CUDA core) fp32 peak: fp32 GEMMs, elementwise, depthwise
  std::string dram_kind = "hbm2e";
  double dram_bandwidth_gbytes_per_s = 2039.0;
  Bytes l2_bytes = 40 * kMiB;
  Bytes smem_per_sm_bytes = 164 * kKiB;
  double tdp_w = 400.0;
  double idle_w = 50.0;
  GpuAchievable achievable;
  GpuKernelOverhead kernel_overhead;
  // cuBLAS-like output tile shapes, most preferred (largest, best data reuse) first. The model takes the
  // first whose tile x wave efficiency is within prefer_larger_within of the best shape's.
  std::vector<GpuTile> tiles{{256, 128}, {128, 256}, {128, 128}, {64, 128}, {128, 64}, {64, 64}};
  uint32_t ctas_per_sm = 1;
  double prefer_larger_within = 0.15;
  // Power weights (REFERENCE.md §3.3): share of (tdp - idle) drawn at full tensor (memory) utilization at
  // the configured clock. A sum above 1 means the part cannot hold that clock at full load (L4).
  double w_compute = 0.6;
  double w_memory = 0.4;
  GpuPowerCap power_cap;
  bool fuse_elementwise = true;  // elementwise ops run as epilogues of their producer (gpu_model.h)
  // Activations that fit in l2_residency_fraction of L2 stay there between kernels (gpu_l2_residency.h).
  bool l2_residency = true;
  double l2_residency_fraction = 0.5;
  // An offline engine runs a batch of B as B/b batches of b (b = B/2^k) when that is faster (gpu_model.h).
  bool engine_batch_search = true;
  std::string compute_dtype;     // empty: each operator's dtype; else every op runs in this one ("fp8")
  std::string file;              // where it was parsed from, for error messages; not a model parameter
};

// The power the GPU is held to: the selected mode's cap, else tdp_w.
double gpu_power_cap_w(const GpuConfig& config);

// Operand types the GPU model knows: "int8, fp8, fp16, bf16, tf32, fp32".
const std::vector<std::string>& gpu_dtype_names();
bool is_gpu_dtype(const std::string& name);
uint32_t gpu_dtype_bytes(const std::string& name);  // 0 for an unknown name
std::string known_gpu_dtype_names();

// Validates every field; errors read "x.json: gpu.tdp_w: ...". Unknown keys and dtype names are errors.
GpuConfig parse_gpu_config(const nlohmann::json& document, const std::string& file);

// The resolved config, defaults filled in (round-trips through parse_gpu_config).
nlohmann::json gpu_config_to_json(const GpuConfig& config);

}  // namespace npusim
