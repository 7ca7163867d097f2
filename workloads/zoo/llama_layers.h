// The decoder layers of the Llama family (llama.cpp), shared with models built around a Llama backbone
// (OpenVLA: vision encoders, then a Llama-2 prefill and a few decode steps).
#pragma once

#include <cstdint>
#include <string>

#include "workloads/zoo/transformer_builder.h"

namespace npusim {

// One forward pass through every layer: q_len new tokens over `past` cached ones. `tied`: the weights
// belong to an earlier pass of the same workload (decode steps after a prefill), so parameters count once.
struct DecoderPass {
  uint64_t q_len = 1;
  uint64_t past = 0;
  bool tied = false;
  std::string prefix;  // operator name prefix, e.g. "step.1."
};

// RMSNorm, fused QKV, rotary, causal attention over the KV cache, o_proj, residual; RMSNorm, SwiGLU MLP
// (or the experts), residual. Returns the last layer's output; `r.head_dim()` must be resolved.
SeqRef llama_decoder_layers(TransformerBuilder& net, SeqRef x, const TransformerRequest& r, const DecoderPass& pass);

}  // namespace npusim
