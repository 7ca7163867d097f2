// An Attention operator's dimensions in the units its lowering works in, and the small counts that its
// cost model (attention_tiling) and its command emission (attention_fused) must agree on.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "arch/spec/units.h"
#include "workloads/ir/operator.h"

namespace npusim {

struct AttentionShape {
  uint64_t batch = 1;
  uint64_t kv_heads = 1;
  uint64_t group = 1;  // query heads per K/V head
  uint64_t head_dim = 1;
  uint64_t q_len = 1, past_len = 0, kv_len = 1;
  bool causal = false, kv_cache = false;
  Bytes elem = 1, acc = 4;
};
AttentionShape attention_shape(const Operator& op);

// Keys the queries [0, q_end) can see: all of them, or under a causal mask those up to query q_end - 1.
uint64_t visible_keys(const AttentionShape& s, uint64_t q_end);

// New tokens (positions >= past_len) inside the key block [begin, begin + keys).
uint64_t new_tokens_in(const AttentionShape& s, uint64_t begin, uint64_t keys);

// (heads in the group, number of such groups): full groups of head_group K/V heads and the remainder.
std::vector<std::pair<uint64_t, uint64_t>> head_groups(uint64_t kv_heads, uint64_t head_group);

}  // namespace npusim
