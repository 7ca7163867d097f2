// ViT-B/16 at 224x224 as in timm's vit_base_patch16_224 (Dosovitskiy et al. 2021): 16x16 patch
// embedding (a biased conv), a learned [CLS] token and 197 learned positions, 12 pre-LN encoder layers
// with biased projections and GELU, a final LayerNorm and the 1000-class head on the [CLS] token.
#include <string>

#include "workloads/zoo/transformer_builder.h"
#include "workloads/zoo/zoo_builders.h"

namespace npusim {

Workload build_vit_b16(const WorkloadSpec& spec, DType default_dtype) {
  constexpr uint32_t kResolution = 224;
  constexpr uint32_t kPatch = 16;
  constexpr uint64_t kTokens = (kResolution / kPatch) * (kResolution / kPatch) + 1;  // 196 patches + CLS
  constexpr uint64_t kClasses = 1000;
  // 12 layers, width 768, 12 heads, FFN 3072 (REFERENCE.md §5); "vocab" is the class count here.
  const TransformerDims defaults{12, 768, 12, 12, 3072, kClasses, kTokens};
  TransformerTraits traits;
  traits.default_seq = kTokens;
  traits.seq_param = false;
  traits.vocab_param = false;
  const TransformerRequest r = read_transformer_request(spec, default_dtype, defaults, traits);
  const uint32_t d = r.dims.d_model;
  TransformerBuilder net(r.common.batch, r.common.dtype);

  const SeqRef patches = net.patch_embedding("patch_embed", kResolution, 3, kPatch, d);
  // The [CLS] token is a learned row copied in front of the patches: a one-row gather.
  const SeqRef cls = net.embedding("cls_token", 1, 1, d);
  const SeqRef positions = net.embedding("pos_embed", kTokens, kTokens, d);
  SeqRef x = net.eltwise("pos_embed.add", EltwiseKind::kAdd,
                         {TransformerBuilder::concat_tokens({cls, patches}), positions});

  AttentionParams attention;
  attention.heads = attention.kv_heads = r.dims.heads;
  attention.head_dim = r.head_dim();
  attention.q_len = kTokens;
  attention.fused = r.fused;
  for (uint32_t layer = 0; layer < r.dims.layers; ++layer) {
    const std::string name = "blocks." + std::to_string(layer);
    const SeqRef qkv = net.linear(name + ".attn.qkv", net.norm(name + ".norm1", OpKind::kLayerNorm, x),
                                  3ull * d, true, Activation::kNone);
    const SeqRef context = net.attention(name + ".attn", qkv, qkv, attention);
    const SeqRef projected = net.linear(name + ".attn.proj", context, d, true, Activation::kNone);
    x = net.eltwise(name + ".attn.residual", EltwiseKind::kAdd, {x, projected});
    const SeqRef hidden = net.linear(name + ".mlp.fc1", net.norm(name + ".norm2", OpKind::kLayerNorm, x),
                                     r.dims.ffn, true, Activation::kGelu);
    const SeqRef out = net.linear(name + ".mlp.fc2", hidden, d, true, Activation::kNone);
    x = net.eltwise(name + ".mlp.residual", EltwiseKind::kAdd, {x, out});
  }
  x = net.norm("norm", OpKind::kLayerNorm, x);
  net.linear("head", TransformerBuilder::one_token(x), kClasses, true, Activation::kNone);
  return make_zoo_workload(spec, net.take_ops());
}

}  // namespace npusim
