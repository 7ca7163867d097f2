#include "workloads/ir/operator.h"

namespace npusim {

uint32_t conv_out_h(const ConvParams& p) {
  return (p.in_h + p.pad_top + p.pad_bottom - p.kernel_h) / p.stride_h + 1;
}
uint32_t conv_out_w(const ConvParams& p) {
  return (p.in_w + p.pad_left + p.pad_right - p.kernel_w) / p.stride_w + 1;
}
uint32_t pool_out_h(const PoolParams& p) {
  return p.global ? 1 : (p.in_h + p.pad_top + p.pad_bottom - p.kernel_h) / p.stride_h + 1;
}
uint32_t pool_out_w(const PoolParams& p) {
  return p.global ? 1 : (p.in_w + p.pad_left + p.pad_right - p.kernel_w) / p.stride_w + 1;
}
bool is_depthwise(const ConvParams& p) { return p.groups > 1 && p.groups == p.in_c && p.groups == p.out_c; }

bool has_gemm_view(const Operator& op) {
  return op.kind == OpKind::kConv2d || op.kind == OpKind::kFullyConnected || op.kind == OpKind::kMatMul;
}

GemmView gemm_view(const Operator& op) {
  GemmView view;
  if (const auto* conv = std::get_if<ConvParams>(&op.params)) {
    view.m = uint64_t{op.batch} * conv_out_h(*conv) * conv_out_w(*conv);
    view.n = conv->out_c / conv->groups;
    view.k = uint64_t{conv->kernel_h} * conv->kernel_w * (conv->in_c / conv->groups);
    view.gemm_count = conv->groups;
  } else if (const auto* mm = std::get_if<MatMulParams>(&op.params)) {
    if (op.kind == OpKind::kFullyConnected) {
      view.m = uint64_t{op.batch} * mm->m;
      view.gemm_count = 1;
    } else {
      view.m = mm->m;
      view.gemm_count = op.batch;
    }
    view.n = mm->n;
    view.k = mm->k;
  }
  return view;
}

uint64_t op_output_elements(const Operator& op) {
  if (const auto* conv = std::get_if<ConvParams>(&op.params)) {
    return uint64_t{op.batch} * conv_out_h(*conv) * conv_out_w(*conv) * conv->out_c;
  }
  if (const auto* mm = std::get_if<MatMulParams>(&op.params)) return uint64_t{op.batch} * mm->m * mm->n;
  if (const auto* pool = std::get_if<PoolParams>(&op.params)) {
    return uint64_t{op.batch} * pool_out_h(*pool) * pool_out_w(*pool) * pool->channels;
  }
  const auto& elt = std::get<EltwiseParams>(op.params);
  return uint64_t{op.batch} * elt.elements;
}

uint64_t op_macs(const Operator& op) {
  if (!has_gemm_view(op)) return 0;
  const GemmView v = gemm_view(op);
  return v.m * v.n * v.k * v.gemm_count;
}

Bytes op_weight_bytes(const Operator& op) {
  const Bytes elem = dtype_bytes(op.dtype);
  if (const auto* conv = std::get_if<ConvParams>(&op.params)) {
    return uint64_t{conv->kernel_h} * conv->kernel_w * (conv->in_c / conv->groups) * conv->out_c * elem;
  }
  if (const auto* mm = std::get_if<MatMulParams>(&op.params)) {
    return mm->b_is_weight ? mm->k * mm->n * elem : 0;
  }
  return 0;
}

Bytes op_input_bytes(const Operator& op) {
  const Bytes elem = dtype_bytes(op.dtype);
  if (const auto* conv = std::get_if<ConvParams>(&op.params)) {
    return uint64_t{op.batch} * conv->in_h * conv->in_w * conv->in_c * elem;
  }
  if (const auto* mm = std::get_if<MatMulParams>(&op.params)) {
    const Bytes a = uint64_t{op.batch} * mm->m * mm->k * elem;
    return mm->b_is_weight ? a : a + uint64_t{op.batch} * mm->k * mm->n * elem;
  }
  if (const auto* pool = std::get_if<PoolParams>(&op.params)) {
    return uint64_t{op.batch} * pool->in_h * pool->in_w * pool->channels * elem;
  }
  const auto& elt = std::get<EltwiseParams>(op.params);
  return uint64_t{op.batch} * elt.elements * elt.inputs * elem;
}

Bytes op_output_bytes(const Operator& op) { return op_output_elements(op) * dtype_bytes(op.dtype); }

uint64_t workload_macs(const Workload& workload) {
  uint64_t total = 0;
  for (const auto& op : workload.ops) total += op_macs(op);
  return total;
}

Bytes workload_weight_bytes(const Workload& workload) {
  Bytes total = 0;
  for (const auto& op : workload.ops) total += op_weight_bytes(op);
  return total;
}

const char* op_kind_name(OpKind kind) {
  switch (kind) {
    case OpKind::kConv2d: return "conv2d";
    case OpKind::kFullyConnected: return "fc";
    case OpKind::kMatMul: return "matmul";
    case OpKind::kMaxPool: return "maxpool";
    case OpKind::kAvgPool: return "avgpool";
    case OpKind::kElementwise: return "eltwise";
  }
  return "?";
}

const char* eltwise_kind_name(EltwiseKind kind) {
  switch (kind) {
    case EltwiseKind::kAdd: return "add";
    case EltwiseKind::kMul: return "mul";
    case EltwiseKind::kRelu: return "relu";
    case EltwiseKind::kRelu6: return "relu6";
    case EltwiseKind::kSigmoid: return "sigmoid";
    case EltwiseKind::kSilu: return "silu";
    case EltwiseKind::kGelu: return "gelu";
    case EltwiseKind::kCopy: return "copy";
  }
  return "?";
}

const char* activation_name(Activation activation) {
  switch (activation) {
    case Activation::kNone: return "none";
    case Activation::kRelu: return "relu";
    case Activation::kRelu6: return "relu6";
    case Activation::kSilu: return "silu";
    case Activation::kGelu: return "gelu";
    case Activation::kSigmoid: return "sigmoid";
  }
  return "?";
}

}  // namespace npusim
