// From one chip's simulated op times (a shard's layer rows, in program order) to the segments of a
// system pass: where Megatron-style tensor parallelism puts its collectives (after the attention output
// and MLP down projections, the vocabulary-parallel embedding and head) and where expert parallelism
// puts its all-to-alls (dispatch after the router, combine after the experts).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/multichip/system_pass.h"

namespace npusim {

struct OpTime {
  std::string name;  // the operator's name ("layers.3.self_attn.o_proj")
  double time_s = 0.0;
};

struct PassShape {
  uint64_t tokens = 1;         // tokens of one micro-batch (sequences x new tokens each)
  uint64_t sequences = 1;      // sequences of one micro-batch (the LM head runs on their last tokens)
  uint64_t hidden = 1;         // the model width
  uint64_t vocab = 1;          // the whole vocabulary
  uint32_t experts_per_token = 0;
  Bytes element_bytes = 1;     // activations on the links
};

PassSegments pass_segments(const std::vector<OpTime>& ops, const ParallelPlan& plan, const PassShape& shape);

}  // namespace npusim
