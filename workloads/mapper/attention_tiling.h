// Fused (flash-style) attention tiling: the blockings worth trying (K/V head groups, query and key
// blocks, K/V resident or streamed), their cost (DRAM traffic, SRAM footprint, command count) and the
// search that picks one with the mapper's choose_best rule.
#pragma once

#include <cstdint>
#include <vector>

#include "arch/spec/npu_config.h"
#include "arch/spec/units.h"
#include "workloads/ir/operator.h"

namespace npusim {

// A fused attention tiling: what one inner step covers and what stays resident.
struct AttentionPlan {
  uint32_t head_group = 1;   // K/V heads per group (each with its heads/kv_heads query heads)
  uint64_t q_block = 1;      // query positions per block
  uint64_t kv_block = 1;     // keys per block
  bool kv_resident = false;  // the group's K/V for all keys is loaded once and reused by every query block
  Bytes dram_read_bytes = 0;
  Bytes dram_write_bytes = 0;
  Bytes sram_footprint_bytes = 0;
  uint64_t commands = 0;
};

// Double-buffered working set of a fused tiling: 2 * (Q tile + K/V (block or resident) + fp32 score
// tile + fp32 output accumulator), each for the whole head group.
Bytes fused_attention_footprint_bytes(const Operator& op, uint32_t head_group, uint64_t q_block,
                                      uint64_t kv_block, bool kv_resident);
// Evaluates one tiling: DRAM traffic, footprint and command count (what emission will produce).
AttentionPlan evaluate_fused_attention(const Operator& op, uint32_t head_group, uint64_t q_block,
                                       uint64_t kv_block, bool kv_resident);
// choose_best without a time estimate: least DRAM traffic, then fewest commands, then the smallest
// footprint, over every tiling that fits the SRAM; throws InputError (npu.sram.capacity_bytes) when
// none does.
AttentionPlan plan_fused_attention(const Operator& op, const NpuConfig& config);

// plan_fused_attention's pick first, then (latency objective only) the picks a half, a quarter, ... of
// the SRAM would make, down to the smallest blocking's footprint: the traffic rule cannot see time, so
// the lowering holds these against the schedule of their commands, and the shortlist of twice the SRAM
// holds this one (more SRAM only adds blockings to choose from).
std::vector<AttentionPlan> attention_plan_shortlist(const Operator& op, const NpuConfig& config);

}  // namespace npusim
