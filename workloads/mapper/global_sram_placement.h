// Global-SRAM placement: which activations stay in the NPU's shared global SRAM between layers instead
// of going through DRAM, from the tensors' lifetimes (producer to last consumer).
#pragma once

#include <vector>

#include "arch/isa/command_stream.h"
#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"

namespace npusim {

// With a global SRAM (npu.global_sram.capacity_bytes > 0): an operator's output stays in the global
// SRAM, instead of going to DRAM, when it fits next to every tensor still live there (a tensor lives
// until its last consumer has run); a consumer whose inputs are all resident loads them from there.
// Stores of the output and loads of the inputs are retargeted per layer (MemoryKind::kGlobalSram);
// weights always come from DRAM. The first operator's inputs and the network's outputs stay in DRAM.
void place_activations_in_global_sram(const Workload& workload, std::vector<LayerProgram>& programs,
                                      const NpuConfig& config);

}  // namespace npusim
