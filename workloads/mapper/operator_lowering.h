// One operator on one core: the choice of unit (MAC array or vector unit) and of lowering.
#pragma once

#include <cstdint>

#include "arch/isa/command_stream.h"
#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"

namespace npusim {

// Conv (depthwise only when config.vector.depthwise_on_vector is false), FC and matmul run on the MAC
// array; pooling, elementwise ops and depthwise conv on the vector unit.
bool runs_on_array(const Operator& op, const NpuConfig& config);

// npusim's own lowering (default timing mode): DRAM-traffic-minimising tiles, double-buffered streams.
// Throws InputError for an operand type the array lacks or an SRAM too small for the smallest tile.
LayerProgram map_operator(const Operator& op, uint32_t op_index, const NpuConfig& config);

}  // namespace npusim
