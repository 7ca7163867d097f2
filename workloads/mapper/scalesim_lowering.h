// Lowering for timing mode "scalesim": one array command per SCALE-Sim fold, fed by double-buffered
// operand loads and followed by ofmap stores, so the SystemC models reproduce SCALE-Sim's accounting.
#pragma once

#include <cstdint>

#include "arch/isa/command_stream.h"
#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"

namespace npusim {

// GEMM-view operators (conv, FC, matmul; every group / batch item as a repeat of the same GEMM):
//  - folds in SCALE-Sim's order (column fold outer, row fold inner); each fold is one compute command
//    whose tile is scalesim_fold_gemm(), which the array runs in exactly L cycles with overlap off;
//  - ifmap/filter loads (kInput/kWeight) alternate between the two halves of each SRAM: fold 0's are
//    cold, fold i+1's are queued after compute i and wait for the compute that last read that half;
//    an operand whose whole matrix fits a half is loaded once (scalesim_operand_resident), otherwise
//    the tile a fold needs is loaded whenever it differs from the previous fold's;
//  - compute i waits for its operand loads and for store i-2 (ofmap SRAM halves); store i (kOutput)
//    writes what the fold produced (WS/IS: partial sums per row fold, as SCALE-Sim counts them).
// Pooling and elementwise ops: SCALE-Sim has none; they become a single vector command.
LayerProgram lower_scalesim_layer(const Operator& op, uint32_t op_index, const NpuConfig& config);

}  // namespace npusim
