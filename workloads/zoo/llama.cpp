// Llama-2 and Llama-3.1 decoders, and the mixture-of-experts decoders built the same way (Mixtral,
// Qwen3-MoE), as in Hugging Face's LlamaForCausalLM (Touvron et al. 2023; Meta
// Llama 3.1 model card): token embedding, pre-norm layers with RMSNorm, rotary embedding on Q and K,
// grouped-query attention over a KV cache, a SwiGLU MLP (gate and up projections, SiLU(gate) * up,
// down projection), no biases, a final RMSNorm and an untied language-model head applied to each
// sequence's last position only.
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "workloads/zoo/llama_layers.h"
#include "workloads/zoo/model_zoo.h"
#include "workloads/zoo/transformer_builder.h"
#include "workloads/zoo/zoo_builders.h"

namespace npusim {
namespace {

// The MLP of one layer: dense SwiGLU, or a mixture of SwiGLU experts (Mixtral, Qwen3-MoE).
SeqRef llama_mlp(TransformerBuilder& net, const std::string& name, const SeqRef& mlp_in,
                 const TransformerRequest& r, bool tied) {
  if (r.dims.moe()) {
    const MoeShape shape{r.dims.experts,       r.dims.experts_per_token, r.dims.expert_ffn,
                         r.common.batch * r.seq, r.dims.expert_ranks,    r.dims.expert_load_pct};
    return net.moe_mlp(name + ".mlp", mlp_in, shape);
  }
  const SeqRef gate = net.linear(name + ".mlp.gate_proj", mlp_in, r.dims.ffn, false, Activation::kSilu, tied);
  const SeqRef up = net.linear(name + ".mlp.up_proj", mlp_in, r.dims.ffn, false, Activation::kNone, tied);
  const SeqRef gated = net.eltwise(name + ".mlp.swiglu", EltwiseKind::kMul, {gate, up});
  return net.linear(name + ".mlp.down_proj", gated, r.dims.d_model, false, Activation::kNone, tied);
}

// Prompt length when the spec gives none.
constexpr uint64_t kLlamaDefaultSeq = 512;

TransformerTraits llama_traits() {
  TransformerTraits traits;
  traits.default_seq = kLlamaDefaultSeq;
  traits.decoder = true;
  traits.rotary = true;
  traits.moe_param = true;
  return traits;
}

}  // namespace

SeqRef llama_decoder_layers(TransformerBuilder& net, SeqRef x, const TransformerRequest& r, const DecoderPass& pass) {
  const uint32_t head_dim = r.head_dim();
  AttentionParams attention;
  attention.heads = r.dims.heads;
  attention.kv_heads = r.dims.kv_heads;
  attention.head_dim = head_dim;
  attention.q_len = pass.q_len;
  attention.past_len = pass.past;
  attention.causal = true;
  attention.kv_cache = true;
  attention.fused = r.fused;
  // q, k and v projections as one GEMM: (heads + 2 * kv_heads) * head_dim outputs.
  const uint64_t qkv_width = uint64_t{r.dims.heads + 2 * r.dims.kv_heads} * head_dim;
  const uint32_t d = r.dims.d_model;
  for (uint32_t layer = 0; layer < r.dims.layers; ++layer) {
    const std::string name = pass.prefix + "layers." + std::to_string(layer);
    const SeqRef normed = net.norm(name + ".input_layernorm", OpKind::kRmsNorm, x);
    const SeqRef qkv =
        net.linear(name + ".self_attn.qkv_proj", normed, qkv_width, false, Activation::kNone, pass.tied);
    const SeqRef rotated =
        net.rotary(name + ".self_attn.rotary", qkv, r.dims.heads + r.dims.kv_heads, head_dim);
    const SeqRef context = net.attention(name + ".self_attn", rotated, qkv, attention);
    const SeqRef projected =
        net.linear(name + ".self_attn.o_proj", context, d, false, Activation::kNone, pass.tied);
    x = net.eltwise(name + ".attn_residual", EltwiseKind::kAdd, {x, projected});
    const SeqRef mlp_in = net.norm(name + ".post_attention_layernorm", OpKind::kRmsNorm, x);
    const SeqRef down = llama_mlp(net, name, mlp_in, r, pass.tied);
    x = net.eltwise(name + ".mlp_residual", EltwiseKind::kAdd, {x, down});
  }
  return x;
}

namespace {

Workload build_llama(const WorkloadSpec& spec, DType default_dtype, const TransformerDims& defaults) {
  const TransformerRequest r = read_transformer_request(spec, default_dtype, defaults, llama_traits());
  TransformerBuilder net(r.common.batch, r.common.dtype);
  const SeqRef embedded = net.embedding("embed_tokens", r.seq, r.dims.vocab, r.dims.d_model);
  const SeqRef x = llama_decoder_layers(net, embedded, r, DecoderPass{r.seq, r.past, false, ""});
  const SeqRef last = net.norm("norm", OpKind::kRmsNorm, TransformerBuilder::one_token(x));
  net.linear("lm_head", last, r.dims.vocab, false, Activation::kNone);
  return make_zoo_workload(spec, net.take_ops());
}

TransformerDims mixtral_8x7b_dims() {
  // Mixtral-8x7B-v0.1 config.json (Jiang et al. 2024): 32 layers, hidden 4096, 32 query / 8 K/V heads,
  // 8 experts of FFN 14336 with 2 per token, vocabulary 32000, 32768-token context.
  TransformerDims dims{32, 4096, 32, 8, 0, 32000, 32768};
  dims.experts = 8;
  dims.experts_per_token = 2;
  dims.expert_ffn = 14336;
  return dims;
}

TransformerDims qwen3_30b_a3b_dims() {
  // Qwen3-30B-A3B config.json: 48 layers, hidden 2048, 32 query / 4 K/V heads of head_dim 128, 128
  // experts of FFN 768 with 8 per token, vocabulary 151936, untied head, 40960-token context. Its
  // per-head q/k RMSNorms (256 parameters a layer) are not modelled.
  TransformerDims dims{48, 2048, 32, 4, 0, 151936, 40960};
  dims.head_dim = 128;
  dims.experts = 128;
  dims.experts_per_token = 8;
  dims.expert_ffn = 768;
  return dims;
}

struct LlamaFamilyRow {
  const char* name;
  TransformerDims dims;
};

// Published shapes (each model's config.json): layers, width, query / K/V heads, FFN, vocabulary,
// context. Llama-2-7B: no GQA, 4096-token context; Llama-3.1: 128256-token vocabulary, 131072 context.
const std::vector<LlamaFamilyRow>& llama_family() {
  static const std::vector<LlamaFamilyRow> rows{
      {"llama2-7b", TransformerDims{32, 4096, 32, 32, 11008, 32000, 4096}},
      {"llama3.1-8b", TransformerDims{32, 4096, 32, 8, 14336, 128256, 131072}},
      {"llama3.1-70b", TransformerDims{80, 8192, 64, 8, 28672, 128256, 131072}},
      {"llama3.1-405b", TransformerDims{126, 16384, 128, 8, 53248, 128256, 131072}},
      {"mixtral-8x7b", mixtral_8x7b_dims()},
      {"qwen3-30b-a3b", qwen3_30b_a3b_dims()},
  };
  return rows;
}

const TransformerDims& family_defaults(const std::string& name) {
  for (const auto& row : llama_family()) {
    if (name == row.name) return row.dims;
  }
  throw std::logic_error("not a Llama-family zoo model: " + name);
}

}  // namespace

std::optional<TransformerDims> zoo_decoder_dims(const WorkloadSpec& spec) {
  for (const auto& row : llama_family()) {
    if (spec.name == row.name) return read_transformer_request(spec, DType::kInt8, row.dims, llama_traits()).dims;
  }
  return std::nullopt;
}

// Every Llama-family entry (llama_family(): Llama 2/3.1, Mixtral, Qwen3 MoE) builds from its row's defaults.
Workload build_llama_family(const WorkloadSpec& spec, DType default_dtype) {
  return build_llama(spec, default_dtype, family_defaults(spec.name));
}

}  // namespace npusim
