// Token-tensor tracking and operator emission for the zoo's transformers, and their shared spec keys.
#include "workloads/zoo/transformer_builder.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace npusim {
namespace {

// Shape mismatches here are bugs in a zoo model, not bad user input: user-facing checks come first.
void require(bool ok, const std::string& what, const std::string& name) {
  if (!ok) throw std::logic_error("transformer builder: " + what + " at " + name);
}

}  // namespace

SeqRef TransformerBuilder::push(Operator op, std::vector<uint32_t> inputs, uint64_t tokens, uint64_t width) {
  op.dtype = dtype_;
  op.batch = batch_;
  op.inputs = std::move(inputs);
  ops_.push_back(std::move(op));
  return SeqRef{tokens, width, {static_cast<uint32_t>(ops_.size() - 1)}};
}

SeqRef TransformerBuilder::embedding(const std::string& name, uint64_t tokens, uint64_t table_rows,
                                     uint64_t width) {
  Operator op = make_operator(name, OpKind::kEmbedding, EmbeddingParams{tokens, table_rows, width});
  return push(std::move(op), {}, tokens, width);
}

SeqRef TransformerBuilder::linear(const std::string& name, const SeqRef& in, uint64_t out_features, bool bias,
                                  Activation activation, bool tied) {
  MatMulParams p;
  p.m = in.tokens;  // per batch item; the batch shares the weights (one tall GEMM)
  p.n = out_features;
  p.k = in.width;
  p.b_is_weight = true;
  p.bias = bias;
  p.tied_weights = tied;
  Operator op = make_operator(name, OpKind::kMatMul, p, activation);
  return push(std::move(op), in.producers, in.tokens, out_features);
}

SeqRef TransformerBuilder::norm(const std::string& name, OpKind kind, const SeqRef& in) {
  require(kind == OpKind::kLayerNorm || kind == OpKind::kRmsNorm, "not a norm", name);
  Operator op = make_operator(name, kind, RowParams{in.tokens, in.width});
  return push(std::move(op), in.producers, in.tokens, in.width);
}

SeqRef TransformerBuilder::rotary(const std::string& name, const SeqRef& in, uint32_t heads,
                                  uint32_t head_dim) {
  require(uint64_t{heads} * head_dim <= in.width && head_dim % 2 == 0, "bad rotary shape", name);
  Operator op = make_operator(name, OpKind::kRotary, RotaryParams{in.tokens, heads, head_dim});
  return push(std::move(op), in.producers, in.tokens, uint64_t{heads} * head_dim);
}

SeqRef TransformerBuilder::attention(const std::string& name, const SeqRef& qk, const SeqRef& v,
                                     const AttentionParams& params) {
  require(qk.tokens == params.q_len && v.tokens == params.q_len, "token count mismatch", name);
  require(params.kv_heads > 0 && params.heads % params.kv_heads == 0, "bad head counts", name);
  Operator op = make_operator(name, OpKind::kAttention, params);
  std::vector<uint32_t> inputs = qk.producers;
  for (uint32_t producer : v.producers) {
    if (std::find(inputs.begin(), inputs.end(), producer) == inputs.end()) inputs.push_back(producer);
  }
  return push(std::move(op), std::move(inputs), params.q_len, uint64_t{params.heads} * params.head_dim);
}

SeqRef TransformerBuilder::eltwise(const std::string& name, EltwiseKind kind,
                                   const std::vector<SeqRef>& inputs) {
  require(!inputs.empty(), "no inputs", name);
  std::vector<uint32_t> producers;
  for (const SeqRef& in : inputs) {
    require(in.tokens == inputs.front().tokens && in.width == inputs.front().width, "shape mismatch", name);
    producers.insert(producers.end(), in.producers.begin(), in.producers.end());
  }
  EltwiseParams p;
  p.elements = inputs.front().tokens * inputs.front().width;
  p.inputs = static_cast<uint32_t>(inputs.size());
  p.kind = kind;
  Operator op = make_operator(name, OpKind::kElementwise, p);
  return push(std::move(op), std::move(producers), inputs.front().tokens, inputs.front().width);
}

SeqRef TransformerBuilder::moe_mlp(const std::string& name, const SeqRef& in, const MoeShape& shape) {
  const SeqRef scores = linear(name + ".router", in, shape.experts, false, Activation::kNone);
  Operator top_k;  // softmax over the experts' scores before the top-k pick
  top_k.name = name + ".router_softmax";
  top_k.kind = OpKind::kSoftmax;
  top_k.params = RowParams{in.tokens, shape.experts};
  const SeqRef routed = push(std::move(top_k), scores.producers, in.tokens, shape.experts);
  const uint32_t active = shape.active_experts();
  const uint64_t rows = shape.tokens_per_expert();
  const auto expert_gemm = [&](const std::string& part, const std::vector<uint32_t>& inputs, uint64_t k,
                               uint64_t n, Activation activation) {
    MatMulParams p;
    p.m = rows;
    p.n = n;
    p.k = k;
    p.b_is_weight = false;
    p.experts = shape.owned_experts();
    Operator op;
    op.name = name + ".experts." + part;
    op.kind = OpKind::kMatMul;
    op.params = p;
    op.activation = activation;
    std::vector<uint32_t> producers = inputs;
    producers.insert(producers.end(), routed.producers.begin(), routed.producers.end());
    SeqRef out = push(std::move(op), producers, rows, n);
    ops_.back().batch = active;  // one GEMM per active expert, each against its own weights
    return out;
  };
  const SeqRef gate = expert_gemm("gate_proj", in.producers, in.width, shape.expert_ffn, Activation::kSilu);
  const SeqRef up = expert_gemm("up_proj", in.producers, in.width, shape.expert_ffn, Activation::kNone);
  Operator swiglu;
  swiglu.name = name + ".experts.swiglu";
  swiglu.kind = OpKind::kElementwise;
  swiglu.params = EltwiseParams{rows * shape.expert_ffn, 2, EltwiseKind::kMul};
  std::vector<uint32_t> both = gate.producers;
  both.insert(both.end(), up.producers.begin(), up.producers.end());
  const SeqRef gated = push(std::move(swiglu), both, rows, shape.expert_ffn);
  ops_.back().batch = active;
  const SeqRef down = expert_gemm("down_proj", gated.producers, shape.expert_ffn, in.width, Activation::kNone);
  Operator combine;  // each token's experts_per_token outputs, weighted by the router and summed
  combine.name = name + ".experts.combine";
  combine.kind = OpKind::kElementwise;
  combine.params = EltwiseParams{in.tokens * in.width, shape.experts_per_token, EltwiseKind::kAdd};
  return push(std::move(combine), down.producers, in.tokens, in.width);
}

SeqRef TransformerBuilder::patch_embedding(const std::string& name, uint32_t resolution, uint32_t channels,
                                           uint32_t patch, uint32_t width) {
  require(resolution % patch == 0, "resolution not a multiple of the patch", name);
  ConvParams p;
  p.in_h = p.in_w = resolution;
  p.in_c = channels;
  p.out_c = width;
  p.kernel_h = p.kernel_w = patch;
  p.stride_h = p.stride_w = patch;
  p.bias = true;
  Operator op = make_operator(name, OpKind::kConv2d, p);
  const uint64_t side = resolution / patch;
  return push(std::move(op), {}, side * side, width);
}

SeqRef TransformerBuilder::concat_tokens(const std::vector<SeqRef>& parts) {
  require(!parts.empty(), "empty concat", "concat");
  SeqRef out{0, parts.front().width, {}};
  for (const SeqRef& part : parts) {
    require(part.width == out.width, "width mismatch", "concat");
    out.tokens += part.tokens;
    out.producers.insert(out.producers.end(), part.producers.begin(), part.producers.end());
  }
  return out;
}

}  // namespace npusim
