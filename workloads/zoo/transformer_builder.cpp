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
  Operator op;
  op.name = name;
  op.kind = OpKind::kEmbedding;
  op.params = EmbeddingParams{tokens, table_rows, width};
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
  Operator op;
  op.name = name;
  op.kind = OpKind::kMatMul;
  op.params = p;
  op.activation = activation;
  return push(std::move(op), in.producers, in.tokens, out_features);
}

SeqRef TransformerBuilder::norm(const std::string& name, OpKind kind, const SeqRef& in) {
  require(kind == OpKind::kLayerNorm || kind == OpKind::kRmsNorm, "not a norm", name);
  Operator op;
  op.name = name;
  op.kind = kind;
  op.params = RowParams{in.tokens, in.width};
  return push(std::move(op), in.producers, in.tokens, in.width);
}

SeqRef TransformerBuilder::rotary(const std::string& name, const SeqRef& in, uint32_t heads,
                                  uint32_t head_dim) {
  require(uint64_t{heads} * head_dim <= in.width && head_dim % 2 == 0, "bad rotary shape", name);
  Operator op;
  op.name = name;
  op.kind = OpKind::kRotary;
  op.params = RotaryParams{in.tokens, heads, head_dim};
  return push(std::move(op), in.producers, in.tokens, uint64_t{heads} * head_dim);
}

SeqRef TransformerBuilder::attention(const std::string& name, const SeqRef& qk, const SeqRef& v,
                                     const AttentionParams& params) {
  require(qk.tokens == params.q_len && v.tokens == params.q_len, "token count mismatch", name);
  require(params.kv_heads > 0 && params.heads % params.kv_heads == 0, "bad head counts", name);
  Operator op;
  op.name = name;
  op.kind = OpKind::kAttention;
  op.params = params;
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
  Operator op;
  op.name = name;
  op.kind = OpKind::kElementwise;
  op.params = p;
  return push(std::move(op), std::move(producers), inputs.front().tokens, inputs.front().width);
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
  Operator op;
  op.name = name;
  op.kind = OpKind::kConv2d;
  op.params = p;
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

TransformerRequest read_transformer_request(const WorkloadSpec& spec, DType default_dtype,
                                            const TransformerDims& defaults,
                                            const TransformerTraits& traits) {
  std::vector<std::string> keys{"layers", "heads", "attention"};
  if (traits.seq_param) keys.push_back("seq");
  if (traits.decoder) keys.insert(keys.end(), {"past", "kv_heads"});
  TransformerRequest request;
  request.common = read_common_params(spec, default_dtype, keys);
  TransformerDims& dims = request.dims;
  dims = defaults;
  dims.layers = param_positive_u32(spec, "layers", defaults.layers);
  dims.heads = param_positive_u32(spec, "heads", defaults.heads);
  if (dims.d_model % dims.heads != 0) {
    throw_spec_error(spec, "heads",
                     "expected a divisor of the model width " + std::to_string(dims.d_model) + ", got " +
                         std::to_string(dims.heads));
  }
  if (traits.rotary && request.head_dim() % 2 != 0) {
    throw_spec_error(spec, "heads",
                     "expected a head count leaving an even head size for rotary embedding, got " +
                         std::to_string(dims.heads) + " heads of " + std::to_string(request.head_dim()));
  }
  // Without GQA K/V heads follow the query heads; with it they keep their own default.
  const bool gqa = defaults.kv_heads != defaults.heads;
  dims.kv_heads = traits.decoder ? param_positive_u32(spec, "kv_heads", gqa ? defaults.kv_heads : dims.heads)
                                 : dims.heads;
  if (dims.heads % dims.kv_heads != 0) {
    const bool given = spec.params.count("kv_heads") > 0;
    throw_spec_error(spec, given ? "kv_heads" : "heads",
                     given ? "expected a divisor of heads (" + std::to_string(dims.heads) + "), got " +
                                 std::to_string(dims.kv_heads)
                           : "expected a multiple of kv_heads (" + std::to_string(dims.kv_heads) + "), got " +
                                 std::to_string(dims.heads));
  }
  request.seq = traits.seq_param ? param_positive_u64(spec, "seq", traits.default_seq) : traits.default_seq;
  request.past = traits.decoder ? param_u32(spec, "past", 0) : 0;
  if (request.seq > dims.context || request.past > dims.context - request.seq) {
    throw_spec_error(spec, request.past > 0 ? "past" : "seq",
                     "expected seq + past <= " + std::to_string(dims.context) +
                         " (the model's context), got " + std::to_string(request.seq) + " + " +
                         std::to_string(request.past));
  }
  const auto attention = spec.params.find("attention");
  if (attention != spec.params.end()) {
    if (attention->second != "fused" && attention->second != "unfused") {
      throw_spec_error(spec, "attention", "expected fused or unfused, got '" + attention->second + "'");
    }
    request.fused = attention->second == "fused";
  }
  return request;
}

}  // namespace npusim
