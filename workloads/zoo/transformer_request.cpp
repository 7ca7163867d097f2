// Reads a transformer spec's shape keys (layers, hidden, heads, kv_heads, head_dim, ffn, vocab, experts)
// over a model's published defaults and rejects combinations no real model has.
#include <algorithm>
#include <string>
#include <vector>

#include "arch/spec/input_error.h"
#include "workloads/zoo/transformer_builder.h"

namespace npusim {
namespace {

std::string str(uint64_t value) { return std::to_string(value); }

bool given(const WorkloadSpec& spec, const std::string& key) { return spec.params.count(key) > 0; }

std::vector<std::string> transformer_keys(const TransformerTraits& traits) {
  std::vector<std::string> keys{"layers", "heads", "attention", "hidden", "ffn"};
  if (traits.seq_param) keys.push_back("seq");
  if (traits.vocab_param) keys.push_back("vocab");
  if (traits.decoder) keys.insert(keys.end(), {"past", "kv_heads"});
  if (traits.moe_param) keys.insert(keys.end(), {"head_dim", "experts", "experts_per_token", "expert_ffn", "ep", "expert_load_pct"});
  return keys;
}

// head_dim: given, or the model's own when neither width nor heads changed, else width / heads.
void read_head_dim(const WorkloadSpec& spec, const TransformerDims& defaults, const TransformerTraits& traits,
                   TransformerDims& dims) {
  const bool shape_kept = dims.d_model == defaults.d_model && dims.heads == defaults.heads;
  if (given(spec, "head_dim")) {
    dims.head_dim = param_positive_u32(spec, "head_dim", std::nullopt);
  } else if (shape_kept && defaults.head_dim != 0) {
    dims.head_dim = defaults.head_dim;
  } else {
    if (dims.d_model % dims.heads != 0) {
      const std::string or_head_dim = traits.moe_param ? " (or give head_dim)" : "";
      if (given(spec, "hidden") && !given(spec, "heads")) {
        throw_spec_error(spec, "hidden", "expected a multiple of heads (" + str(dims.heads) + "), got " +
                                             str(dims.d_model) + or_head_dim);
      }
      throw_spec_error(spec, "heads", "expected a divisor of the model width " + str(dims.d_model) + ", got " +
                                          str(dims.heads) + or_head_dim);
    }
    dims.head_dim = dims.d_model / dims.heads;
  }
  if (traits.rotary && dims.head_dim % 2 != 0) {
    throw_spec_error(spec, given(spec, "head_dim") ? "head_dim" : "heads",
                     "expected an even head size for rotary embedding, got " + str(dims.heads) +
                         " heads of " + str(dims.head_dim));
  }
}

void read_kv_heads(const WorkloadSpec& spec, const TransformerDims& defaults, const TransformerTraits& traits,
                   TransformerDims& dims) {
  // Without GQA K/V heads follow the query heads; with it they keep their own default.
  const bool gqa = defaults.kv_heads != defaults.heads;
  dims.kv_heads = traits.decoder ? param_positive_u32(spec, "kv_heads", gqa ? defaults.kv_heads : dims.heads)
                                 : dims.heads;
  if (dims.heads % dims.kv_heads != 0) {
    const bool kv_given = given(spec, "kv_heads");
    throw_spec_error(spec, kv_given ? "kv_heads" : "heads",
                     kv_given ? "expected a divisor of heads (" + str(dims.heads) + "), got " + str(dims.kv_heads)
                              : "expected a multiple of kv_heads (" + str(dims.kv_heads) + "), got " +
                                    str(dims.heads));
  }
}

// ep: expert-parallel ranks (a divisor of experts); expert_load_pct: this rank's share of the routed
// token-slots against the mean, from 100 (balanced) to 100 * ep (all slots on one rank).
void read_expert_parallel(const WorkloadSpec& spec, TransformerDims& dims) {
  dims.expert_ranks = param_positive_u32(spec, "ep", 1);
  if (dims.experts % dims.expert_ranks != 0) {
    throw_spec_error(spec, "ep", "expected a divisor of experts (" + str(dims.experts) + "), got " +
                                     str(dims.expert_ranks));
  }
  dims.expert_load_pct = param_positive_u32(spec, "expert_load_pct", 100);
  if (dims.expert_load_pct < 100 || dims.expert_load_pct > 100 * dims.expert_ranks) {
    throw_spec_error(spec, "expert_load_pct",
                     "expected 100 (balanced) to " + str(100 * dims.expert_ranks) +
                         " (every slot on one of ep ranks), got " + str(dims.expert_load_pct));
  }
}

// Expert keys: only on SwiGLU decoders; ffn and expert keys never mix; experts_per_token <= experts.
void read_experts(const WorkloadSpec& spec, const TransformerDims& defaults, TransformerDims& dims) {
  const bool moe = defaults.moe() || given(spec, "experts");
  for (const char* key : {"experts_per_token", "expert_ffn", "ep", "expert_load_pct"}) {
    if (!moe && given(spec, key)) {
      throw_spec_error(spec, key, "applies only to a mixture-of-experts model (set experts, >= 2)");
    }
  }
  if (!moe) return;
  if (given(spec, "ffn")) {
    throw_spec_error(spec, "ffn",
                     "a mixture-of-experts model has no dense MLP: give expert_ffn (each expert's width)");
  }
  dims.ffn = 0;
  dims.experts = param_positive_u32(spec, "experts", defaults.moe() ? std::optional<uint32_t>(defaults.experts)
                                                                     : std::nullopt);
  if (dims.experts < 2) throw_spec_error(spec, "experts", "expected >= 2 (a dense model omits experts)");
  const auto default_or_none = [&](uint32_t value) {
    return defaults.moe() ? std::optional<uint32_t>(value) : std::nullopt;
  };
  dims.experts_per_token = param_positive_u32(spec, "experts_per_token", default_or_none(defaults.experts_per_token));
  dims.expert_ffn = param_positive_u32(spec, "expert_ffn", default_or_none(defaults.expert_ffn));
  if (dims.experts_per_token > dims.experts) {
    throw_spec_error(spec, "experts_per_token",
                     "expected at most experts (" + str(dims.experts) + "), got " + str(dims.experts_per_token));
  }
  read_expert_parallel(spec, dims);
}

void read_sequence(const WorkloadSpec& spec, const TransformerTraits& traits, TransformerRequest& request) {
  request.seq = traits.seq_param ? param_positive_u64(spec, "seq", traits.default_seq) : traits.default_seq;
  request.past = traits.decoder ? param_u32(spec, "past", 0) : 0;
  const uint64_t context = request.dims.context;
  if (request.seq > context || request.past > context - request.seq) {
    throw_spec_error(spec, request.past > 0 ? "past" : "seq",
                     "expected seq + past <= " + str(context) + " (the model's context), got " +
                         str(request.seq) + " + " + str(request.past));
  }
  const auto attention = spec.params.find("attention");
  if (attention != spec.params.end()) {
    if (attention->second != "fused" && attention->second != "unfused") {
      throw_spec_error(spec, "attention", "expected fused or unfused, got '" + attention->second + "'");
    }
    request.fused = attention->second == "fused";
  }
}

}  // namespace

TransformerRequest read_transformer_request(const WorkloadSpec& spec, DType default_dtype,
                                            const TransformerDims& defaults,
                                            const TransformerTraits& traits) {
  TransformerRequest request;
  request.common = read_common_params(spec, default_dtype, transformer_keys(traits));
  TransformerDims& dims = request.dims;
  dims = defaults;
  dims.layers = param_positive_u32(spec, "layers", defaults.layers);
  // The largest published models have ~126 layers; beyond this the operator list alone exhausts memory.
  constexpr uint32_t kMaxLayers = 1024;
  if (dims.layers > kMaxLayers) {
    throw InputError(kWorkloadSpecFile, spec.name + ".layers",
                     "expected 1 to " + std::to_string(kMaxLayers) + ", got " + std::to_string(dims.layers));
  }
  dims.d_model = param_positive_u32(spec, "hidden", defaults.d_model);
  dims.heads = param_positive_u32(spec, "heads", defaults.heads);
  if (!defaults.moe()) dims.ffn = param_positive_u32(spec, "ffn", defaults.ffn);
  if (traits.vocab_param) dims.vocab = param_positive_u64(spec, "vocab", defaults.vocab);
  read_head_dim(spec, defaults, traits, dims);
  read_kv_heads(spec, defaults, traits, dims);
  if (traits.moe_param) read_experts(spec, defaults, dims);
  read_sequence(spec, traits, request);
  return request;
}

uint64_t MoeShape::slots() const {
  return ceil_div(routed_tokens * experts_per_token * load_pct, uint64_t{100} * ranks);
}

uint32_t MoeShape::active_experts() const {
  return static_cast<uint32_t>(std::min<uint64_t>(slots(), owned_experts()));
}

uint64_t MoeShape::tokens_per_expert() const { return ceil_div(slots(), active_experts()); }

}  // namespace npusim
