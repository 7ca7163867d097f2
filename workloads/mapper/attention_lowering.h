// Lowers an Attention operator (softmax(Q K^T) V over heads, GQA, causal, KV cache) to one LayerProgram.
//
// Fused (flash-style, AttentionParams::fused): per batch item and group of K/V heads, the group's K/V
// (all keys, kv_resident, or one key block at a time) and per query block its Q tile are loaded; for
// every key block and head the array computes S = Q K^T, the vector unit runs the online softmax
// (running max, exp, running sum, and rescales the output accumulator after the first block), and the
// array accumulates O += P V; then the vector unit divides O by the row sums and O is stored. Scores
// and probabilities never leave SRAM. The query heads sharing a K/V head (heads / kv_heads of them) are
// stacked into the M dimension of one tile, as GQA kernels do. Under a causal mask key blocks entirely
// above the diagonal are skipped; partly masked blocks are computed whole. With kv_cache the new
// tokens' K/V are stored to the cache right after the load that brings them on chip.
//
// Unfused: three phases in one program, each waiting for the previous one's stores: QK^T on the array
// via the GEMM lowering (scores stored to DRAM), a softmax pass on the vector unit (scores read,
// probabilities written), AV on the array (probabilities read back). With kv_cache the new K/V are
// copied into the cache by a separate load/store stream first, as eager frameworks do.
#pragma once

#include <cstdint>

#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"
#include "arch/isa/command_stream.h"

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
// Least DRAM traffic, then fewest commands, over every tiling that fits the SRAM; throws InputError
// (npu.sram.capacity_bytes) when none does.
AttentionPlan plan_fused_attention(const Operator& op, const NpuConfig& config);

// Emits a fused plan's commands into `program` and fills program.mapping (tests lower chosen tilings).
void emit_fused_attention(const Operator& op, const AttentionPlan& plan, const NpuConfig& config,
                          LayerProgram& program);

// Checks the operand type against array.dtypes and lowers the fused or unfused form.
LayerProgram lower_attention_layer(const Operator& op, uint32_t op_index, const NpuConfig& config);

}  // namespace npusim
