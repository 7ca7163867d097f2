// The mapper: operator IR -> per-layer command streams (LayerProgram), one per core used.
#pragma once

#include <cstdint>
#include <vector>

#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"
#include "arch/isa/command_stream.h"

namespace npusim {

// Conv (depthwise only when config.vector.depthwise_on_vector is false), FC and matmul run on the MAC
// array; pooling, elementwise ops and depthwise conv on the vector unit.
bool runs_on_array(const Operator& op, const NpuConfig& config);

// npusim's own lowering (default timing mode): DRAM-traffic-minimising tiles, double-buffered streams.
// Throws InputError for an operand type the array lacks or an SRAM too small for the smallest tile.
LayerProgram map_operator(const Operator& op, uint32_t op_index, const NpuConfig& config);

// Every operator in order; SCALE-Sim timing mode uses lower_scalesim_layer instead of map_operator.
// With npu.cores > 1 each operator is split over the cores (core_partition.h); with a global SRAM,
// activations that fit stay in it between layers.
std::vector<LayerProgram> map_workload(const Workload& workload, const NpuConfig& config);

}  // namespace npusim
