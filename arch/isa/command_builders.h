// One command of each kind, built from what distinguishes it: shared by the mapper's lowerings and the
// tests that write command streams by hand.
#pragma once

#include "arch/isa/command_stream.h"

namespace npusim {

// A DMA transfer from `memory` (DRAM unless said) into the SRAM region `buffer`.
inline Command dma_load_command(BufferKind buffer, Bytes bytes, MemoryKind memory = MemoryKind::kDram) {
  Command command;
  command.kind = CommandKind::kDmaLoad;
  command.buffer = buffer;
  command.bytes = bytes;
  command.memory = memory;
  return command;
}

// A DMA transfer out of the SRAM's output region to `memory` (DRAM unless said).
inline Command dma_store_command(Bytes bytes, MemoryKind memory = MemoryKind::kDram) {
  Command command;
  command.kind = CommandKind::kDmaStore;
  command.buffer = BufferKind::kOutput;
  command.bytes = bytes;
  command.memory = memory;
  return command;
}

// One m x n x k GEMM tile on the MAC array.
inline Command compute_command(const ComputeTile& tile) {
  Command command;
  command.kind = CommandKind::kCompute;
  command.tile = tile;
  return command;
}

// One operation on the vector unit.
inline Command vector_command(const VectorWork& work) {
  Command command;
  command.kind = CommandKind::kVector;
  command.vector = work;
  return command;
}

// A barrier: no work, done when its dependencies are.
inline Command sync_command() {
  Command command;
  command.kind = CommandKind::kSync;
  return command;
}

}  // namespace npusim
