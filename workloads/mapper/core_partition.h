// Multi-core mapping: splits an operator into per-core parts (partition_candidates.h, the search
// space), lowers each part with the single-core mapper, estimates the layer (partition_estimate.h, the
// cost model) and keeps the best split by the mapper's choose_best rule (the search).
#pragma once

#include <cstdint>

#include "arch/isa/command_stream.h"
#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"
#include "workloads/mapper/partition_candidates.h"
#include "workloads/mapper/partition_estimate.h"

namespace npusim {

// map_operator on one core; on several, the best candidate by choose_best: the lowest estimate, then
// (within the tolerance) the fewest DRAM bytes, then the earlier candidate. Fills mapping.split and
// mapping.cores_used.
LayerProgram map_operator_on_cores(const Operator& op, uint32_t op_index, const NpuConfig& config);

}  // namespace npusim
