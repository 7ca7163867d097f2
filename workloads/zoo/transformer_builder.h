// Builds transformer workloads (encoders and decoders) op by op, tracking each token tensor's width and
// producers, plus the spec parameters every transformer in the zoo shares.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "workloads/ir/operator.h"
#include "workloads/workload_spec.h"
#include "workloads/zoo/zoo_builders.h"

namespace npusim {

// A tensor of `tokens` x `width` per batch item and the operators whose outputs form it (none: an
// input of the network, or a gather's ids).
struct SeqRef {
  uint64_t tokens = 1;
  uint64_t width = 1;
  std::vector<uint32_t> producers;
};

// A transformer's published shape.
struct TransformerDims {
  uint32_t layers = 1;
  uint32_t d_model = 64;
  uint32_t heads = 1;
  uint32_t kv_heads = 1;  // == heads without grouped-query attention
  uint32_t ffn = 256;
  uint64_t vocab = 1;
  uint64_t context = 1;  // positions: the learned position table's rows, or the trained context
  uint32_t head_dim = 0;  // 0: d_model / heads (Qwen3 and others set it apart from the width)
  // Mixture of experts (0 experts: a dense MLP of `ffn`): each token runs experts_per_token of `experts`
  // SwiGLU MLPs of width expert_ffn, chosen by a router.
  uint32_t experts = 0;
  uint32_t experts_per_token = 0;
  uint32_t expert_ffn = 0;
  // Expert parallelism: this chip is one of expert_ranks, owning experts / expert_ranks experts and
  // receiving expert_load_pct % of the mean share of routed token-slots (100: balanced routing).
  uint32_t expert_ranks = 1;
  uint32_t expert_load_pct = 100;
  bool moe() const { return experts > 0; }
};

// How a mixture-of-experts MLP runs for `routed_tokens` tokens (all sequences of a batch) on one of
// `ranks` expert-parallel chips: it owns experts / ranks experts and gets
// slots = ceil(routed * per_token * load_pct / 100 / ranks) token-slots, spread evenly over
// active = min(owned, slots) experts of ceil(slots / active) tokens each.
struct MoeShape {
  uint32_t experts = 1;
  uint32_t experts_per_token = 1;
  uint32_t expert_ffn = 1;
  uint64_t routed_tokens = 1;
  uint32_t ranks = 1;
  uint32_t load_pct = 100;
  uint32_t owned_experts() const { return experts / ranks; }
  uint64_t slots() const;
  uint32_t active_experts() const;
  uint64_t tokens_per_expert() const;
};

class TransformerBuilder {
 public:
  TransformerBuilder(uint32_t batch, DType dtype) : batch_(batch), dtype_(dtype) {}

  // Gathers `tokens` rows of a table_rows x width table.
  SeqRef embedding(const std::string& name, uint64_t tokens, uint64_t table_rows, uint64_t width);
  // x W (+ b) with an activation fused on the output; `tied`: W is another operator's parameter.
  SeqRef linear(const std::string& name, const SeqRef& in, uint64_t out_features, bool bias,
                Activation activation, bool tied = false);
  // kLayerNorm or kRmsNorm over each token.
  SeqRef norm(const std::string& name, OpKind kind, const SeqRef& in);
  // Rotates the first `heads` heads of head_dim of each token of `in` (the query and key heads).
  SeqRef rotary(const std::string& name, const SeqRef& in, uint32_t heads, uint32_t head_dim);
  // Reads Q (and K) from `qk` and V from `v`: the output has heads * head_dim per token.
  SeqRef attention(const std::string& name, const SeqRef& qk, const SeqRef& v, const AttentionParams& params);
  // Elementwise op over same-shaped tensors (residual add, SwiGLU's gate * up, embedding sums).
  SeqRef eltwise(const std::string& name, EltwiseKind kind, const std::vector<SeqRef>& inputs);
  // A conv over a resolution x resolution x channels image with kernel = stride = patch (ViT's patch
  // embedding, with bias): (resolution / patch)^2 tokens of `width`.
  // A mixture-of-experts SwiGLU MLP over `in`: router scores, the active experts' gate/up/down GEMMs
  // (one weight matrix per expert), and the weighted sum of each token's experts' outputs.
  SeqRef moe_mlp(const std::string& name, const SeqRef& in, const MoeShape& shape);
  SeqRef patch_embedding(const std::string& name, uint32_t resolution, uint32_t channels, uint32_t patch,
                         uint32_t width);
  // One token of `in` (a classifier's CLS token, the last position a language-model head reads):
  // no operator, the consumer reads that row.
  static SeqRef one_token(const SeqRef& in) { return SeqRef{1, in.width, in.producers}; }
  // Tokens of several tensors one after another (ViT's CLS token before the patches): no operator.
  static SeqRef concat_tokens(const std::vector<SeqRef>& parts);

  std::vector<Operator> take_ops() { return std::move(ops_); }

 private:
  SeqRef push(Operator op, std::vector<uint32_t> inputs, uint64_t tokens, uint64_t width);

  uint32_t batch_;
  DType dtype_;
  std::vector<Operator> ops_;
};

// What a transformer spec asks for: the model, possibly with layers/heads/kv_heads overridden, and the
// pass to run.
struct TransformerRequest {
  ZooCommonParams common;
  TransformerDims dims;
  uint64_t seq = 1;   // tokens processed per sequence
  uint64_t past = 0;  // tokens already in the KV cache (decoders)
  bool fused = true;  // attention=fused|unfused
  uint32_t head_dim() const { return dims.head_dim; }  // resolved by read_transformer_request
};

// Which spec keys a model takes beyond batch, dtype, layers, heads and attention.
struct TransformerTraits {
  uint64_t default_seq = 128;
  bool seq_param = true;  // false for ViT: its token count follows from the image
  bool decoder = false;   // causal with a KV cache: also takes past and kv_heads
  bool rotary = false;    // rotary embedding pairs up elements: the head size must be even
  bool vocab_param = true;  // false for ViT: its head has the class count
  bool moe_param = false;   // SwiGLU decoders (Llama family): also takes head_dim and the expert keys
};

// Throws InputError at "<name>.<key>" for parameters that contradict each other or describe no real
// model: heads that do not divide the width (unless head_dim is given), kv_heads that do not divide
// heads, an odd head size with rotary, seq + past beyond the context, ffn on a mixture-of-experts model,
// expert keys on a dense one, experts_per_token above experts, ep not dividing experts.
TransformerRequest read_transformer_request(const WorkloadSpec& spec, DType default_dtype,
                                            const TransformerDims& defaults, const TransformerTraits& traits);

}  // namespace npusim
