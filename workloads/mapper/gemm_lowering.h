// Lowers a GEMM-like operator (conv via im2col, FC, matmul) to the MAC array's double-buffered
// command stream: DMA loads, one compute command per (m, n, k) tile, one store per output tile.
#pragma once

#include <cstdint>

#include "arch/isa/command_stream.h"
#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"
#include "workloads/mapper/gemm_tiling.h"

namespace npusim {

// Checks the operand type against array.dtypes, plans the tiling (plan_gemm) and emits it.
LayerProgram lower_gemm_layer(const Operator& op, uint32_t op_index, const NpuConfig& config);

// Emits the commands of a given plan into `program` and fills program.mapping (tests lower chosen tilings).
void emit_gemm_program(const GemmProblem& problem, const GemmPlan& plan, const NpuConfig& config,
                       LayerProgram& program);

}  // namespace npusim
