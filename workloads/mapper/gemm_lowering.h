// Lowers a GEMM-like operator (conv via im2col, FC, matmul) to the MAC array's double-buffered
// command stream: DMA loads, one compute command per (m, n, k) tile, one store per output tile.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"
#include "arch/isa/command_stream.h"
#include "workloads/mapper/gemm_tiling.h"

namespace npusim {

// Two SRAM slots for one buffer (operand or output). Refilling a slot must wait for the last command
// that read its previous contents (write-after-read), i.e. the reader from two fills earlier; the other
// slot meanwhile serves the current tile. Also used by the vector lowering.
class DoubleBuffer {
 public:
  // Moves to the next slot; returns the command its new contents must wait for, if any.
  std::optional<uint32_t> acquire() {
    slot_ ^= 1U;
    const std::optional<uint32_t> reader = last_reader_[slot_];
    last_reader_[slot_].reset();
    return reader;
  }
  // Command `id` reads the current slot (later readers replace earlier ones).
  void read_by(uint32_t id) { last_reader_[slot_] = id; }

 private:
  std::array<std::optional<uint32_t>, 2> last_reader_;
  uint32_t slot_ = 1;  // the first acquire takes slot 0
};

// Checks the operand type against array.dtypes, plans the tiling (plan_gemm) and emits it.
LayerProgram lower_gemm_layer(const Operator& op, uint32_t op_index, const NpuConfig& config);

// Emits the commands of a given plan into `program` and fills program.mapping (tests lower chosen tilings).
void emit_gemm_program(const GemmProblem& problem, const GemmPlan& plan, const NpuConfig& config,
                       LayerProgram& program);

}  // namespace npusim
