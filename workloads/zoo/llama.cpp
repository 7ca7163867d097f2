// Llama-2 and Llama-3.1 decoders as in Hugging Face's LlamaForCausalLM (Touvron et al. 2023; Meta
// Llama 3.1 model card): token embedding, pre-norm layers with RMSNorm, rotary embedding on Q and K,
// grouped-query attention over a KV cache, a SwiGLU MLP (gate and up projections, SiLU(gate) * up,
// down projection), no biases, a final RMSNorm and an untied language-model head applied to each
// sequence's last position only.
#include <string>

#include "workloads/zoo/transformer_builder.h"
#include "workloads/zoo/zoo_builders.h"

namespace npusim {
namespace {

// Prompt length when the spec gives none.
constexpr uint64_t kLlamaDefaultSeq = 512;

Workload build_llama(const WorkloadSpec& spec, DType default_dtype, const TransformerDims& defaults) {
  TransformerTraits traits;
  traits.default_seq = kLlamaDefaultSeq;
  traits.decoder = true;
  traits.rotary = true;
  const TransformerRequest r = read_transformer_request(spec, default_dtype, defaults, traits);
  const uint32_t d = r.dims.d_model;
  const uint32_t head_dim = r.head_dim();
  TransformerBuilder net(r.common.batch, r.common.dtype);

  SeqRef x = net.embedding("embed_tokens", r.seq, r.dims.vocab, d);
  AttentionParams attention;
  attention.heads = r.dims.heads;
  attention.kv_heads = r.dims.kv_heads;
  attention.head_dim = head_dim;
  attention.q_len = r.seq;
  attention.past_len = r.past;
  attention.causal = true;
  attention.kv_cache = true;
  attention.fused = r.fused;
  // q, k and v projections as one GEMM: (heads + 2 * kv_heads) * head_dim outputs.
  const uint64_t qkv_width = uint64_t{r.dims.heads + 2 * r.dims.kv_heads} * head_dim;
  for (uint32_t layer = 0; layer < r.dims.layers; ++layer) {
    const std::string name = "layers." + std::to_string(layer);
    const SeqRef normed = net.norm(name + ".input_layernorm", OpKind::kRmsNorm, x);
    const SeqRef qkv = net.linear(name + ".self_attn.qkv_proj", normed, qkv_width, false, Activation::kNone);
    const SeqRef rotated =
        net.rotary(name + ".self_attn.rotary", qkv, r.dims.heads + r.dims.kv_heads, head_dim);
    const SeqRef context = net.attention(name + ".self_attn", rotated, qkv, attention);
    const SeqRef projected = net.linear(name + ".self_attn.o_proj", context, d, false, Activation::kNone);
    x = net.eltwise(name + ".attn_residual", EltwiseKind::kAdd, {x, projected});
    const SeqRef mlp_in = net.norm(name + ".post_attention_layernorm", OpKind::kRmsNorm, x);
    const SeqRef gate = net.linear(name + ".mlp.gate_proj", mlp_in, r.dims.ffn, false, Activation::kSilu);
    const SeqRef up = net.linear(name + ".mlp.up_proj", mlp_in, r.dims.ffn, false, Activation::kNone);
    const SeqRef gated = net.eltwise(name + ".mlp.swiglu", EltwiseKind::kMul, {gate, up});
    const SeqRef down = net.linear(name + ".mlp.down_proj", gated, d, false, Activation::kNone);
    x = net.eltwise(name + ".mlp_residual", EltwiseKind::kAdd, {x, down});
  }
  const SeqRef last = net.norm("norm", OpKind::kRmsNorm, TransformerBuilder::one_token(x));
  net.linear("lm_head", last, r.dims.vocab, false, Activation::kNone);
  return make_zoo_workload(spec, net.take_ops());
}

}  // namespace

Workload build_llama2_7b(const WorkloadSpec& spec, DType default_dtype) {
  // 32 layers, width 4096, 32 heads (no GQA), FFN 11008, vocabulary 32000, 4096-token context.
  return build_llama(spec, default_dtype, TransformerDims{32, 4096, 32, 32, 11008, 32000, 4096});
}

Workload build_llama31_8b(const WorkloadSpec& spec, DType default_dtype) {
  // 32 layers, width 4096, 32 query / 8 K/V heads, FFN 14336, vocabulary 128256, 131072-token context.
  return build_llama(spec, default_dtype, TransformerDims{32, 4096, 32, 8, 14336, 128256, 131072});
}

}  // namespace npusim
