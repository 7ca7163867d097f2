// OpenVLA-7B (Kim et al. 2024, openvla/openvla-7b; Prismatic VLM): a 224x224 image through two ViT
// encoders, DINOv2 ViT-L/14 (with 4 registers) and SigLIP ViT-SO400M/14, whose 256 patch features are
// concatenated per patch (1024 + 1152 = 2176) and projected by a 3-layer GELU MLP into a Llama-2-7B
// backbone. One control step: the prefill of the prompt (BOS, 256 image tokens, the instruction), then
// decode steps until `action_tokens` tokens (7: x, y, z, roll, pitch, yaw, gripper) are out.
#include <string>

#include "workloads/zoo/llama_layers.h"
#include "workloads/zoo/transformer_builder.h"
#include "workloads/zoo/zoo_builders.h"

namespace npusim {
namespace {

constexpr uint32_t kResolution = 224;
constexpr uint32_t kPatch = 14;
constexpr uint64_t kPatches = (kResolution / kPatch) * (kResolution / kPatch);  // 256

struct VitShape {
  const char* prefix;
  uint32_t run_layers;   // Prismatic reads the second-to-last block: the last one never runs
  uint32_t d_model, heads, ffn;
  uint64_t extra_tokens;  // [CLS] and register tokens in front of the patches
};

// timm's pre-LN ViT blocks (biased projections, GELU); the patch tokens of the last run block leave.
SeqRef vit_encoder(TransformerBuilder& net, const VitShape& v) {
  const std::string p = v.prefix;
  const uint64_t tokens = kPatches + v.extra_tokens;
  SeqRef x = net.patch_embedding(p + "patch_embed", kResolution, 3, kPatch, v.d_model);
  if (v.extra_tokens > 0) {
    x = TransformerBuilder::concat_tokens({net.embedding(p + "cls_and_registers", v.extra_tokens, v.extra_tokens, v.d_model), x});
  }
  x = net.eltwise(p + "pos_embed.add", EltwiseKind::kAdd, {x, net.embedding(p + "pos_embed", tokens, tokens, v.d_model)});
  AttentionParams attention;
  attention.heads = attention.kv_heads = v.heads;
  attention.head_dim = v.d_model / v.heads;
  attention.q_len = tokens;
  for (uint32_t layer = 0; layer < v.run_layers; ++layer) {
    const std::string name = p + "blocks." + std::to_string(layer);
    const SeqRef qkv = net.linear(name + ".attn.qkv", net.norm(name + ".norm1", OpKind::kLayerNorm, x),
                                  3ull * v.d_model, true, Activation::kNone);
    const SeqRef context = net.attention(name + ".attn", qkv, qkv, attention);
    const SeqRef projected = net.linear(name + ".attn.proj", context, v.d_model, true, Activation::kNone);
    x = net.eltwise(name + ".attn.residual", EltwiseKind::kAdd, {x, projected});
    const SeqRef hidden = net.linear(name + ".mlp.fc1", net.norm(name + ".norm2", OpKind::kLayerNorm, x),
                                     v.ffn, true, Activation::kGelu);
    const SeqRef out = net.linear(name + ".mlp.fc2", hidden, v.d_model, true, Activation::kNone);
    x = net.eltwise(name + ".mlp.residual", EltwiseKind::kAdd, {x, out});
  }
  return SeqRef{kPatches, v.d_model, x.producers};  // the patch rows only
}

// Llama-2-7B as OpenVLA ships it: the vocabulary padded to 32064 (32000 + <PAD>, to a multiple of 64).
TransformerRequest backbone_request(const ZooCommonParams& common) {
  TransformerRequest r;
  r.common = common;
  r.dims = TransformerDims{32, 4096, 32, 32, 11008, 32064, 4096};
  r.dims.head_dim = 128;
  return r;
}

}  // namespace

Workload build_openvla_7b(const WorkloadSpec& spec, DType default_dtype) {
  const ZooCommonParams common = read_common_params(spec, default_dtype, {"prompt_tokens", "action_tokens"});
  // "In: What action should the robot take to {instruction}?\nOut:" with BOS: ~24 tokens for a
  // typical Bridge/OXE instruction [E].
  const uint32_t prompt_tokens = param_positive_u32(spec, "prompt_tokens", 24);
  const uint32_t action_tokens = param_positive_u32(spec, "action_tokens", 7);
  const TransformerRequest r = backbone_request(common);
  if (uint64_t{prompt_tokens} + kPatches + action_tokens > r.dims.context) {
    throw_spec_error(spec, "prompt_tokens", "expected prompt + 256 image tokens + action tokens within 4096");
  }
  TransformerBuilder net(common.batch, common.dtype);

  // DINOv2 ViT-L/14-reg4: 24 blocks, 1024, 16 heads, FFN 4096; SigLIP SO400M/14: 27 blocks, 1152,
  // 16 heads, FFN 4304, no [CLS]. Both as Prismatic loads them from timm at 224.
  const SeqRef dino = vit_encoder(net, VitShape{"vision.dino.", 23, 1024, 16, 4096, 5});
  const SeqRef siglip = vit_encoder(net, VitShape{"vision.siglip.", 26, 1152, 16, 4304, 0});
  SeqRef features{kPatches, dino.width + siglip.width, dino.producers};
  features.producers.insert(features.producers.end(), siglip.producers.begin(), siglip.producers.end());
  // Prismatic "fused-gelu-mlp": 2176 -> 8704 (4x) -> 4096 -> 4096, GELU after the first two.
  SeqRef image = net.linear("projector.fc1", features, 4ull * features.width, true, Activation::kGelu);
  image = net.linear("projector.fc2", image, r.dims.d_model, true, Activation::kGelu);
  image = net.linear("projector.fc3", image, r.dims.d_model, true, Activation::kNone);

  const uint64_t prefill_tokens = kPatches + prompt_tokens;
  const SeqRef text = net.embedding("llm.embed_tokens", prompt_tokens, r.dims.vocab, r.dims.d_model);
  SeqRef x = llama_decoder_layers(net, TransformerBuilder::concat_tokens({image, text}), r,
                                  DecoderPass{prefill_tokens, 0, false, "llm."});
  SeqRef token = net.linear("llm.lm_head", net.norm("llm.norm", OpKind::kRmsNorm, TransformerBuilder::one_token(x)),
                            r.dims.vocab, false, Activation::kNone);
  // Each further action token: one decode pass over the cache with the prefill's weights. The next
  // token's embedding row (8 KiB) is not an operator: the pass reads from the head's producer.
  for (uint32_t step = 1; step < action_tokens; ++step) {
    const std::string prefix = "llm.step" + std::to_string(step) + ".";
    x = llama_decoder_layers(net, SeqRef{1, r.dims.d_model, token.producers}, r,
                             DecoderPass{1, prefill_tokens + step - 1, true, prefix});
    token = net.linear(prefix + "lm_head", net.norm(prefix + "norm", OpKind::kRmsNorm, x), r.dims.vocab, false,
                       Activation::kNone, /*tied=*/true);
  }
  return make_zoo_workload(spec, net.take_ops());
}

}  // namespace npusim
