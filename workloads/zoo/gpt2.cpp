// GPT-2 small as in Hugging Face's GPT2LMHeadModel (Radford et al. 2019): token + learned position
// embeddings, pre-LN decoder layers with biased projections and GELU, a final LayerNorm and a language-
// model head tied to the token embedding, applied to each sequence's last position only (what
// generation needs). Causal attention over a KV cache of `past` tokens.
#include <string>

#include "workloads/zoo/transformer_builder.h"
#include "workloads/zoo/zoo_builders.h"

namespace npusim {

Workload build_gpt2(const WorkloadSpec& spec, DType default_dtype) {
  // 12 layers, width 768, 12 heads, FFN 4*768; vocabulary 50257, 1024 positions (GPT-2 config).
  const TransformerDims defaults{12, 768, 12, 12, 3072, 50257, 1024};
  TransformerTraits traits;
  traits.default_seq = 128;
  traits.decoder = true;
  const TransformerRequest r = read_transformer_request(spec, default_dtype, defaults, traits);
  const uint32_t d = r.dims.d_model;
  TransformerBuilder net(r.common.batch, r.common.dtype);

  const SeqRef tokens = net.embedding("wte", r.seq, r.dims.vocab, d);
  const SeqRef positions = net.embedding("wpe", r.seq, r.dims.context, d);
  SeqRef x = net.eltwise("embeddings.sum", EltwiseKind::kAdd, {tokens, positions});

  AttentionParams attention;
  attention.heads = r.dims.heads;
  attention.kv_heads = r.dims.kv_heads;
  attention.head_dim = r.head_dim();
  attention.q_len = r.seq;
  attention.past_len = r.past;
  attention.causal = true;
  attention.kv_cache = true;
  attention.fused = r.fused;
  const uint64_t qkv_width = uint64_t{r.dims.heads + 2 * r.dims.kv_heads} * r.head_dim();
  for (uint32_t layer = 0; layer < r.dims.layers; ++layer) {
    const std::string name = "h" + std::to_string(layer);
    const SeqRef qkv = net.linear(name + ".attn.c_attn", net.norm(name + ".ln_1", OpKind::kLayerNorm, x),
                                  qkv_width, true, Activation::kNone);
    const SeqRef context = net.attention(name + ".attn", qkv, qkv, attention);
    const SeqRef projected = net.linear(name + ".attn.c_proj", context, d, true, Activation::kNone);
    x = net.eltwise(name + ".attn.residual", EltwiseKind::kAdd, {x, projected});
    const SeqRef hidden = net.linear(name + ".mlp.c_fc", net.norm(name + ".ln_2", OpKind::kLayerNorm, x),
                                     r.dims.ffn, true, Activation::kGelu);
    const SeqRef out = net.linear(name + ".mlp.c_proj", hidden, d, true, Activation::kNone);
    x = net.eltwise(name + ".mlp.residual", EltwiseKind::kAdd, {x, out});
  }
  const SeqRef last = net.norm("ln_f", OpKind::kLayerNorm, TransformerBuilder::one_token(x));
  net.linear("lm_head", last, r.dims.vocab, false, Activation::kNone, /*tied=*/true);
  return make_zoo_workload(spec, net.take_ops());
}

}  // namespace npusim
