// Attention dimensions and the counts shared by its cost model and emission (see attention_shape.h).
#include "workloads/mapper/attention_shape.h"

#include <algorithm>

namespace npusim {

AttentionShape attention_shape(const Operator& op) {
  const auto& p = std::get<AttentionParams>(op.params);
  AttentionShape s;
  s.batch = op.batch;
  s.kv_heads = p.kv_heads;
  s.group = p.heads / p.kv_heads;
  s.head_dim = p.head_dim;
  s.q_len = p.q_len;
  s.past_len = p.past_len;
  s.kv_len = attention_kv_len(p);
  s.causal = p.causal;
  s.kv_cache = p.kv_cache;
  s.elem = dtype_bytes(op.dtype);
  s.acc = accumulator_bytes(op.dtype);
  return s;
}

uint64_t visible_keys(const AttentionShape& s, uint64_t q_end) {
  return s.causal ? s.past_len + q_end : s.kv_len;
}

uint64_t new_tokens_in(const AttentionShape& s, uint64_t begin, uint64_t keys) {
  const uint64_t lo = std::max(begin, s.past_len);
  const uint64_t hi = std::min(begin + keys, s.kv_len);
  return hi > lo ? hi - lo : 0;
}

std::vector<std::pair<uint64_t, uint64_t>> head_groups(uint64_t kv_heads, uint64_t head_group) {
  std::vector<std::pair<uint64_t, uint64_t>> groups{{head_group, kv_heads / head_group}};
  if (kv_heads % head_group > 0) groups.emplace_back(kv_heads % head_group, 1);
  return groups;
}

}  // namespace npusim
