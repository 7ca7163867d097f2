// Per-operator GPU estimates: operator class, work, DRAM bytes, tile choice, and time and power at a clock.
#include "analysis/gpu/gpu_model.h"

#include <algorithm>
#include <cmath>
#include <variant>

#include "analysis/gpu/gpu_dvfs.h"
#include "arch/spec/input_error.h"

namespace npusim {
namespace {

constexpr double kFlopsPerTflop = 1e12;
constexpr double kBytesPerGbyte = 1e9;
constexpr double kSecondsPerUs = 1e-6;

double as_double(uint64_t value) { return static_cast<double>(value); }

// Operand bytes of a GEMM-family op in the GPU's dtype: A (activations), B (weights or second operand),
// C (output), and whether B is one tensor shared by every GEMM of the view.
struct GemmOperands {
  double a = 0.0;
  double b = 0.0;
  double c = 0.0;
  bool b_shared = false;
};

GemmOperands gemm_operands(const Operator& op, double byte_scale) {
  GemmOperands out;
  out.c = as_double(op_output_bytes(op)) * byte_scale;
  if (const auto* mm = std::get_if<MatMulParams>(&op.params)) {
    const double elem = as_double(dtype_bytes(op.dtype)) * byte_scale;
    out.a = as_double(uint64_t{op.batch} * mm->m * mm->k) * elem;
    out.b = mm->b_is_weight ? as_double(mm->k * mm->n) * elem
                            : as_double(uint64_t{op.batch} * mm->k * mm->n) * elem;
    out.b_shared = mm->b_is_weight;
  } else {
    out.a = as_double(op_input_bytes(op)) * byte_scale;
    out.b = as_double(op_weight_bytes(op)) * byte_scale;
  }
  return out;
}

// Inputs + weights + outputs, plus re-reads when neither operand of one GEMM fits in L2.
double gemm_dram_bytes(const GemmOperands& operands, uint64_t gemm_count, double l2_bytes) {
  const double gemms = operands.b_shared ? 1.0 : as_double(gemm_count);  // shared B: one GEMM over all rows
  const double a_one = operands.a / gemms;
  const double b_one = operands.b / gemms;
  const double resident = std::min(a_one, b_one);
  double bytes = operands.a + operands.b + operands.c;
  if (resident > l2_bytes && l2_bytes > 0.0) {
    const double passes = std::ceil(resident / l2_bytes);
    bytes += (passes - 1.0) * std::max(a_one, b_one) * gemms;
  }
  return bytes;
}

std::string gpu_dtype_of(const Operator& op, const GpuConfig& config) {
  return config.compute_dtype.empty() ? std::string(dtype_name(op.dtype)) : config.compute_dtype;
}

double large_gemm_fraction(const GpuConfig& config, const std::string& dtype) {
  const auto it = config.achievable.large_gemm_by_dtype.find(dtype);
  return it != config.achievable.large_gemm_by_dtype.end() ? it->second : config.achievable.large_gemm;
}

bool has_weights(const Operator& op) {
  const auto* mm = std::get_if<MatMulParams>(&op.params);
  return mm == nullptr || mm->b_is_weight;
}

// The GEMM the GPU launches: a batched matmul against shared weights (a transformer's linear layer over
// the sequences of a batch) is one tall GEMM over every row, as cuBLAS runs it, not one per sequence.
GemmView gpu_gemm_view(const Operator& op) {
  GemmView view = gemm_view(op);
  const auto* mm = std::get_if<MatMulParams>(&op.params);
  if (mm != nullptr && mm->b_is_weight && view.gemm_count > 1) {
    view.m *= view.gemm_count;
    view.gemm_count = 1;
  }
  return view;
}

// Element operations of a non-GEMM op, run on CUDA cores.
double streaming_ops(const Operator& op) {
  if (const auto* pool = std::get_if<PoolParams>(&op.params)) {
    const uint64_t window =
        pool->global ? uint64_t{pool->in_h} * pool->in_w : uint64_t{pool->kernel_h} * pool->kernel_w;
    return as_double(op_output_elements(op) * window);
  }
  if (const auto* elt = std::get_if<EltwiseParams>(&op.params)) {
    return as_double(op_output_elements(op) * std::max<uint32_t>(elt->inputs, 1));
  }
  return 2.0 * as_double(op_macs(op));  // depthwise conv
}

}  // namespace

const char* gpu_op_class_name(GpuOpClass op_class) {
  switch (op_class) {
    case GpuOpClass::kLargeGemm:
      return "large_gemm";
    case GpuOpClass::kSmallKGemm:
      return "small_k_gemm";
    case GpuOpClass::kGemv:
      return "gemv";
    case GpuOpClass::kStreaming:
      return "streaming";
    case GpuOpClass::kFusedEpilogue:
      return "fused_epilogue";
  }
  return "?";
}

GpuPeak gpu_peak(const GpuConfig& config, const std::string& dtype) {
  const auto it = config.peak_tensor_tflops.find(dtype);
  if (it != config.peak_tensor_tflops.end()) return {it->second * config.clock_derate, true};
  if (dtype == "fp32") return {config.fp32_tflops * config.clock_derate, false};
  throw InputError(config.file, "gpu.peak_tensor_tflops." + dtype,
                   config.name + " has no " + dtype + " tensor throughput");
}

GpuTileChoice choose_gpu_tile(const GemmView& view, const GpuConfig& config) {
  const uint64_t slots = uint64_t{config.sms} * config.ctas_per_sm;
  std::vector<GpuTileChoice> choices;
  double best_score = 0.0;
  for (const GpuTile& tile : config.tiles) {
    const uint64_t tiles_m = ceil_div(view.m, tile.m);
    const uint64_t tiles_n = ceil_div(view.n, tile.n);
    GpuTileChoice choice;
    choice.tile = tile;
    choice.tiles = view.gemm_count * tiles_m * tiles_n;
    choice.waves = ceil_div(choice.tiles, slots);
    choice.tile_efficiency = as_double(view.m * view.n) / as_double(tiles_m * tile.m * tiles_n * tile.n);
    choice.wave_efficiency = as_double(choice.tiles) / as_double(choice.waves * slots);
    best_score = std::max(best_score, choice.tile_efficiency * choice.wave_efficiency);
    choices.push_back(choice);
  }
  // Larger tiles reuse data better: take the first listed shape that is nearly as well quantized.
  const double threshold = best_score * (1.0 - config.prefer_larger_within) * (1.0 - 1e-12);
  for (const auto& choice : choices) {
    if (choice.tile_efficiency * choice.wave_efficiency >= threshold) return choice;
  }
  return choices.empty() ? GpuTileChoice{} : choices.front();
}

void finish_gpu_row(GpuOpEstimate& row, const GpuConfig& config, double clock_ratio) {
  const double bandwidth = config.dram_bandwidth_gbytes_per_s * kBytesPerGbyte;
  const double quantization = row.tile.tile_efficiency * row.tile.wave_efficiency;
  const double clocked_peak = row.peak_flops_per_s * clock_ratio;
  row.compute_s =
      row.compute_work > 0.0 ? row.compute_work / (clocked_peak * row.compute_fraction * quantization) : 0.0;
  row.memory_s = row.dram_bytes > 0.0 ? row.dram_bytes / (bandwidth * row.bandwidth_fraction) : 0.0;
  row.time_s = std::max(row.compute_s, row.memory_s) + row.overhead_s;
  if (row.time_s > 0.0) {
    row.compute_utilization =
        row.compute_work > 0.0 ? row.compute_work / (row.time_s * row.peak_flops_per_s) : 0.0;
    row.dram_utilization = row.dram_bytes / (row.time_s * bandwidth);
  } else {
    row.compute_utilization = row.dram_utilization = 0.0;
  }
  row.power_w = gpu_power_w(config, row.compute_utilization, row.dram_utilization, clock_ratio);
  row.energy_j = row.power_w * row.time_s;
}

GpuOpEstimate estimate_gpu_op(const Operator& op, const GpuConfig& config) {
  std::vector<GpuOpEstimate> rows{plan_gpu_op(op, config)};
  solve_sustained_clock(rows, config);
  return rows.front();
}

GpuOpEstimate plan_gpu_op(const Operator& op, const GpuConfig& config) {
  GpuOpEstimate row;
  row.name = op.name;
  row.dtype = gpu_dtype_of(op, config);
  const double byte_scale = as_double(gpu_dtype_bytes(row.dtype)) / as_double(dtype_bytes(op.dtype));
  row.flops = 2.0 * as_double(op_macs(op));
  row.overhead_s = config.kernel_overhead.per_kernel_us() * kSecondsPerUs;
  const auto& achievable = config.achievable;
  const bool depthwise = op.kind == OpKind::kConv2d && is_depthwise(std::get<ConvParams>(op.params));

  if (has_gemm_view(op) && !depthwise) {
    const GemmView view = gpu_gemm_view(op);
    const GpuPeak peak = gpu_peak(config, row.dtype);
    row.tensor_cores = peak.tensor_cores;
    row.peak_flops_per_s = peak.tflops * kFlopsPerTflop;
    row.compute_work = row.flops;
    if (view.m <= achievable.gemv_max_m) {
      row.op_class = GpuOpClass::kGemv;
      row.compute_fraction = large_gemm_fraction(config, row.dtype);
      row.bandwidth_fraction = achievable.weight_streaming;
    } else if (view.k <= achievable.small_k_max) {
      // Short main loops (1x1 convs on few channels, attention-like matmuls). A conv or FC streams its
      // activations as GEMMs do; a matmul of two activations streams like elementwise kernels.
      row.op_class = GpuOpClass::kSmallKGemm;
      row.compute_fraction = achievable.small_k_gemm;
      row.bandwidth_fraction = has_weights(op) ? achievable.weight_streaming : achievable.streaming;
      row.tile = choose_gpu_tile(view, config);
    } else {
      row.op_class = GpuOpClass::kLargeGemm;
      row.compute_fraction = large_gemm_fraction(config, row.dtype);
      row.bandwidth_fraction = achievable.weight_streaming;
      row.tile = choose_gpu_tile(view, config);
    }
    row.dram_bytes =
        gemm_dram_bytes(gemm_operands(op, byte_scale), view.gemm_count, as_double(config.l2_bytes));
  } else if (op.kind == OpKind::kAttention) {
    // A fused (flash-style) attention kernel: QK^T and AV on tensor cores with K = head_dim, i.e. a
    // small-K GEMM (REFERENCE.md §3.2: 0.35-0.6 of peak); Q, K/V (cache included) and O stream once.
    const GpuPeak peak = gpu_peak(config, row.dtype);
    row.op_class = GpuOpClass::kSmallKGemm;
    row.tensor_cores = peak.tensor_cores;
    row.peak_flops_per_s = peak.tflops * kFlopsPerTflop;
    row.compute_work = row.flops;
    row.compute_fraction = achievable.small_k_gemm;
    row.bandwidth_fraction = achievable.streaming;
    row.dram_bytes = as_double(op_input_bytes(op) + op_weight_bytes(op) + op_output_bytes(op)) * byte_scale;
  } else {
    // Elementwise, pooling, row ops (softmax, norms) and depthwise conv run on CUDA cores and stream
    // their tensors once.
    row.op_class = GpuOpClass::kStreaming;
    row.tensor_cores = false;
    row.peak_flops_per_s = config.fp32_tflops * config.clock_derate * kFlopsPerTflop;
    row.compute_work = streaming_ops(op);
    row.compute_fraction = 1.0;
    row.bandwidth_fraction = achievable.streaming;
    row.dram_bytes = as_double(op_input_bytes(op) + op_weight_bytes(op) + op_output_bytes(op)) * byte_scale;
  }
  return row;
}

}  // namespace npusim
