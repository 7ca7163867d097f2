// Fused attention tiling: cost model (footprint, traffic, commands) and search (see attention_tiling.h).
#include "workloads/mapper/attention_tiling.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <tuple>

#include "workloads/mapper/attention_shape.h"
#include "workloads/mapper/choose_best.h"
#include "workloads/mapper/gemm_search_space.h"
#include "workloads/mapper/hardware_limits.h"

namespace npusim {

Bytes fused_attention_footprint_bytes(const Operator& op, uint32_t head_group, uint64_t q_block,
                                      uint64_t kv_block, bool kv_resident) {
  const AttentionShape s = attention_shape(op);
  const uint64_t rows = uint64_t{head_group} * s.group * q_block;
  const Bytes q_tile = rows * s.head_dim * s.elem;
  const Bytes accumulator = rows * s.head_dim * s.acc;
  const Bytes scores = rows * kv_block * s.acc;
  const Bytes kv = 2 * uint64_t{head_group} * (kv_resident ? s.kv_len : kv_block) * s.head_dim * s.elem;
  return 2 * (q_tile + accumulator + scores + kv);
}

AttentionPlan evaluate_fused_attention(const Operator& op, uint32_t head_group, uint64_t q_block,
                                       uint64_t kv_block, bool kv_resident) {
  const AttentionShape s = attention_shape(op);
  AttentionPlan plan;
  plan.head_group = head_group;
  plan.q_block = q_block;
  plan.kv_block = kv_block;
  plan.kv_resident = kv_resident;
  plan.sram_footprint_bytes = fused_attention_footprint_bytes(op, head_group, q_block, kv_block, kv_resident);
  // Per group of `heads` K/V heads; the same for every batch item.
  for (const auto& [heads, count] : head_groups(s.kv_heads, head_group)) {
    const Bytes kv_per_token = 2 * heads * s.head_dim * s.elem;
    const Bytes q_bytes = heads * s.group * s.q_len * s.head_dim * s.elem;
    Bytes reads = q_bytes;
    Bytes writes = q_bytes + (s.kv_cache ? kv_per_token * s.q_len : 0);
    uint64_t commands = 0;
    if (kv_resident) {
      reads += kv_per_token * s.kv_len;
      commands += s.kv_cache ? 2 : 1;  // the load, and the cache append
    }
    uint64_t appended_blocks = 0;
    for (uint64_t q0 = 0; q0 < s.q_len; q0 += q_block) {
      const uint64_t blocks = ceil_div(visible_keys(s, q0 + std::min(q_block, s.q_len - q0)), kv_block);
      commands += 3 + 3 * heads * blocks;  // Q load, finalize, store; per block and head S, softmax, AV
      if (kv_resident) continue;
      for (uint64_t kb = 0; kb < blocks; ++kb) {
        const uint64_t keys = std::min(kv_block, s.kv_len - kb * kv_block);
        reads += kv_per_token * keys;
        commands += 1;
        if (s.kv_cache && kb >= appended_blocks && new_tokens_in(s, kb * kv_block, keys) > 0) commands += 1;
      }
      appended_blocks = std::max(appended_blocks, blocks);
    }
    plan.dram_read_bytes += reads * count * s.batch;
    plan.dram_write_bytes += writes * count * s.batch;
    plan.commands += commands * count * s.batch;
  }
  return plan;
}

namespace {

// The traffic rule's pick among the tilings that fit `capacity` bytes; none when none fits (`smallest`
// gets the smallest footprint of all).
std::optional<AttentionPlan> pick_within(const Operator& op, const NpuConfig& config, Bytes capacity,
                                         Bytes& smallest) {
  const AttentionShape s = attention_shape(op);
  // No time estimate: traffic first, then fewer commands, then the smaller footprint.
  auto chooser = choose_best<AttentionPlan>(
      RankBy{MapperObjective::kTraffic, kNoTimeEstimate,
             [](AttentionPlan& p) { return p.dram_read_bytes + p.dram_write_bytes; },
             [](AttentionPlan& a, AttentionPlan& b) {
               return std::make_tuple(a.commands, a.sram_footprint_bytes) <
                      std::make_tuple(b.commands, b.sram_footprint_bytes);
             }});
  smallest = std::numeric_limits<Bytes>::max();
  for (uint64_t head_group : aligned_tile_sizes(s.kv_heads, 1)) {
    for (uint64_t q_block : aligned_tile_sizes(s.q_len, 1)) {
      for (uint64_t kv_block : aligned_tile_sizes(s.kv_len, config.array.cols)) {
        for (bool resident : {false, true}) {
          const auto group = static_cast<uint32_t>(head_group);
          const Bytes footprint = fused_attention_footprint_bytes(op, group, q_block, kv_block, resident);
          smallest = std::min(smallest, footprint);
          if (footprint > capacity) continue;
          chooser.offer(evaluate_fused_attention(op, group, q_block, kv_block, resident));
        }
      }
    }
  }
  if (!chooser.found()) return std::nullopt;
  return chooser.best();
}

bool same_blocking(const AttentionPlan& a, const AttentionPlan& b) {
  return a.head_group == b.head_group && a.q_block == b.q_block && a.kv_block == b.kv_block &&
         a.kv_resident == b.kv_resident;
}

}  // namespace

AttentionPlan plan_fused_attention(const Operator& op, const NpuConfig& config) {
  Bytes smallest = 0;
  const std::optional<AttentionPlan> plan = pick_within(op, config, config.sram.capacity_bytes, smallest);
  if (!plan) throw_sram_too_small(op, smallest, config.sram.capacity_bytes);
  return *plan;
}

std::vector<AttentionPlan> attention_plan_shortlist(const Operator& op, const NpuConfig& config) {
  std::vector<AttentionPlan> out{plan_fused_attention(op, config)};
  if (config.mapper.objective != MapperObjective::kLatency) return out;
  Bytes smallest = 0;
  // Every level down, not three: with three, 2C lost the pick of C/8 (+1.2% on ViT-B/16 on
  // furiosa-warboy, +1.0% on BERT-base on mobilint-aries with twice the SRAM).
  for (Bytes capacity = config.sram.capacity_bytes / 2; capacity > 0; capacity /= 2) {
    const std::optional<AttentionPlan> plan = pick_within(op, config, capacity, smallest);
    if (!plan) break;
    if (std::none_of(out.begin(), out.end(), [&](const AttentionPlan& o) { return same_blocking(o, *plan); })) {
      out.push_back(*plan);
    }
  }
  return out;
}

}  // namespace npusim
