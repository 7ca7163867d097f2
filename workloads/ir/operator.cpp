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

uint64_t attention_kv_len(const AttentionParams& p) { return p.past_len + p.q_len; }

namespace {

// Query-key pairs one head scores per batch item: every pair, or under a causal mask only keys up to
// the query's own position (query i of q_len sees past_len + i + 1 keys).
uint64_t visible_pairs(const AttentionParams& p) {
  if (!p.causal) return p.q_len * attention_kv_len(p);
  return p.q_len * p.past_len + p.q_len * (p.q_len + 1) / 2;
}

// K and V elements of `tokens` tokens over all K/V heads.
uint64_t kv_elements(const AttentionParams& p, uint64_t tokens) {
  return 2 * tokens * uint64_t{p.kv_heads} * p.head_dim;
}

// The id an embedding gathers a row with.
constexpr Bytes kTokenIdBytes = 4;

}  // namespace

uint64_t op_output_elements(const Operator& op) {
  const uint64_t batch = op.batch;
  if (const auto* conv = std::get_if<ConvParams>(&op.params)) {
    return batch * conv_out_h(*conv) * conv_out_w(*conv) * conv->out_c;
  }
  if (const auto* mm = std::get_if<MatMulParams>(&op.params)) return batch * mm->m * mm->n;
  if (const auto* pool = std::get_if<PoolParams>(&op.params)) {
    return batch * pool_out_h(*pool) * pool_out_w(*pool) * pool->channels;
  }
  if (const auto* elt = std::get_if<EltwiseParams>(&op.params)) return batch * elt->elements;
  if (const auto* row = std::get_if<RowParams>(&op.params)) return batch * row->rows * row->width;
  if (const auto* rope = std::get_if<RotaryParams>(&op.params)) {
    return batch * rope->tokens * rope->heads * rope->head_dim;
  }
  if (const auto* emb = std::get_if<EmbeddingParams>(&op.params)) return batch * emb->tokens * emb->width;
  const auto& att = std::get<AttentionParams>(op.params);
  return batch * att.q_len * att.heads * att.head_dim;
}

uint64_t op_macs(const Operator& op) {
  if (const auto* att = std::get_if<AttentionParams>(&op.params)) {
    return uint64_t{op.batch} * 2 * att->heads * att->head_dim * visible_pairs(*att);
  }
  if (!has_gemm_view(op)) return 0;
  const GemmView v = gemm_view(op);
  return v.m * v.n * v.k * v.gemm_count;
}

uint64_t op_parameters(const Operator& op) {
  if (const auto* conv = std::get_if<ConvParams>(&op.params)) {
    return uint64_t{conv->kernel_h} * conv->kernel_w * (conv->in_c / conv->groups) * conv->out_c +
           (conv->bias ? conv->out_c : 0);
  }
  if (const auto* mm = std::get_if<MatMulParams>(&op.params)) {
    if (mm->experts > 0) return uint64_t{mm->experts} * (mm->k * mm->n + (mm->bias ? mm->n : 0));
    if (!mm->b_is_weight || mm->tied_weights) return 0;
    return mm->k * mm->n + (mm->bias ? mm->n : 0);
  }
  if (const auto* row = std::get_if<RowParams>(&op.params)) {
    if (op.kind == OpKind::kLayerNorm) return 2 * row->width;
    if (op.kind == OpKind::kRmsNorm) return row->width;
    return 0;
  }
  if (const auto* emb = std::get_if<EmbeddingParams>(&op.params)) return emb->table_rows * emb->width;
  return 0;
}

Bytes op_weight_bytes(const Operator& op) {
  const Bytes elem = dtype_bytes(op.dtype);
  if (const auto* mm = std::get_if<MatMulParams>(&op.params)) {
    const Bytes matrix = (mm->k * mm->n + (mm->bias ? mm->n : 0)) * elem;
    if (mm->experts > 0) return uint64_t{op.batch} * matrix;  // each active expert's own matrix
    return mm->b_is_weight ? matrix : 0;
  }
  if (const auto* emb = std::get_if<EmbeddingParams>(&op.params)) {
    return uint64_t{op.batch} * emb->tokens * emb->width * elem;  // the gathered rows, repeats included
  }
  return op_parameters(op) * elem;  // convs and norms read all their parameters
}

Bytes op_input_bytes(const Operator& op) {
  const Bytes elem = dtype_bytes(op.dtype);
  const uint64_t batch = op.batch;
  if (const auto* conv = std::get_if<ConvParams>(&op.params)) {
    return batch * conv->in_h * conv->in_w * conv->in_c * elem;
  }
  if (const auto* mm = std::get_if<MatMulParams>(&op.params)) {
    const Bytes a = batch * mm->m * mm->k * elem;
    return mm->b_is_weight || mm->experts > 0 ? a : a + batch * mm->k * mm->n * elem;
  }
  if (const auto* pool = std::get_if<PoolParams>(&op.params)) {
    return batch * pool->in_h * pool->in_w * pool->channels * elem;
  }
  if (const auto* elt = std::get_if<EltwiseParams>(&op.params)) return batch * elt->elements * elt->inputs * elem;
  if (std::holds_alternative<RowParams>(op.params)) return op_output_elements(op) * elem;
  if (const auto* rope = std::get_if<RotaryParams>(&op.params)) {
    return op_output_elements(op) * elem + batch * rope->tokens * rope->head_dim * elem;
  }
  if (const auto* emb = std::get_if<EmbeddingParams>(&op.params)) return batch * emb->tokens * kTokenIdBytes;
  const auto& att = std::get<AttentionParams>(op.params);
  const uint64_t queries = att.q_len * att.heads * att.head_dim;
  return batch * (queries + kv_elements(att, att.q_len)) * elem + attention_kv_cache_read_bytes(op);
}

Bytes op_output_bytes(const Operator& op) {
  return op_output_elements(op) * dtype_bytes(op.dtype) + attention_kv_cache_write_bytes(op);
}

Bytes attention_kv_cache_read_bytes(const Operator& op) {
  const auto* att = std::get_if<AttentionParams>(&op.params);
  if (att == nullptr) return 0;
  return uint64_t{op.batch} * kv_elements(*att, att->past_len) * dtype_bytes(op.dtype);
}

Bytes attention_kv_cache_write_bytes(const Operator& op) {
  const auto* att = std::get_if<AttentionParams>(&op.params);
  if (att == nullptr || !att->kv_cache) return 0;
  return uint64_t{op.batch} * kv_elements(*att, att->q_len) * dtype_bytes(op.dtype);
}

Bytes attention_score_bytes(const Operator& op) {
  const auto* att = std::get_if<AttentionParams>(&op.params);
  if (att == nullptr) return 0;
  return uint64_t{op.batch} * att->heads * att->q_len * attention_kv_len(*att) * dtype_bytes(op.dtype);
}

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

uint64_t workload_parameters(const Workload& workload) {
  uint64_t total = 0;
  for (const auto& op : workload.ops) total += op_parameters(op);
  return total;
}

Bytes workload_kv_cache_bytes_per_token(const Workload& workload) {
  Bytes total = 0;
  for (const auto& op : workload.ops) {
    const auto* att = std::get_if<AttentionParams>(&op.params);
    if (att != nullptr && att->kv_cache) {
      total += uint64_t{op.batch} * kv_elements(*att, 1) * dtype_bytes(op.dtype);
    }
  }
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
    case OpKind::kSoftmax: return "softmax";
    case OpKind::kLayerNorm: return "layernorm";
    case OpKind::kRmsNorm: return "rmsnorm";
    case OpKind::kRotary: return "rotary";
    case OpKind::kEmbedding: return "embedding";
    case OpKind::kAttention: return "attention";
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
    case EltwiseKind::kHardSigmoid: return "hard_sigmoid";
    case EltwiseKind::kHardSwish: return "hard_swish";
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
    case Activation::kTanh: return "tanh";
    case Activation::kHardSigmoid: return "hard_sigmoid";
    case Activation::kHardSwish: return "hard_swish";
  }
  return "?";
}

}  // namespace npusim
