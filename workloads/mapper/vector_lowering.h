// Lowers pooling, elementwise ops, (when configured) depthwise conv, and the transformer row ops
// (softmax, LayerNorm, RMSNorm, rotary embedding, embedding gather) to the vector unit: the output is
// cut into chunks that fit the SRAM double-buffered (whole rows for row ops); each chunk is load(s),
// one vector command, a store. Costs per element come from vector_costs.h.
#pragma once

#include <cstdint>

#include "arch/isa/command_stream.h"
#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"

namespace npusim {

// ALU operations per output element of an elementwise op (eltwise_vector_ops in vector_costs.h).
uint32_t eltwise_ops_per_element(EltwiseKind kind);

// Chunks aim at no fewer than this many, so one chunk's load, compute and store overlap the next's...
inline constexpr uint64_t kVectorTargetChunks = 4;
// ...but never below this output size per chunk, which keeps the per-descriptor DMA setup and DRAM
// latency (~100-200 cycles) small next to the transfer.
inline constexpr Bytes kVectorMinChunkBytes = 32 * kKiB;

LayerProgram lower_vector_layer(const Operator& op, uint32_t op_index, const NpuConfig& config);

}  // namespace npusim
