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

#include "arch/isa/command_stream.h"
#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"
#include "workloads/mapper/attention_tiling.h"

namespace npusim {

// Emits a fused plan's commands into `program` and fills program.mapping (tests lower chosen tilings).
void emit_fused_attention(const Operator& op, const AttentionPlan& plan, const NpuConfig& config,
                          LayerProgram& program);

// Checks the operand type against array.dtypes and lowers the fused or unfused form.
LayerProgram lower_attention_layer(const Operator& op, uint32_t op_index, const NpuConfig& config);

}  // namespace npusim
