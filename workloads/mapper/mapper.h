// The mapper: operator IR -> per-layer command streams (LayerProgram), one per core used. Each
// operator's lowering is a search (space x cost model x choose_best): GEMM tilings (gemm_tiling.h),
// attention blockings (attention_tiling.h), vector chunking (vector_lowering.h), core splits
// (core_partition.h); then activations are placed in the global SRAM (global_sram_placement.h).
#pragma once

#include <vector>

#include "arch/isa/command_stream.h"
#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"
#include "workloads/mapper/lowering_cache.h"
#include "workloads/mapper/operator_lowering.h"

namespace npusim {

// Every operator in order; SCALE-Sim timing mode uses lower_scalesim_layer instead of map_operator.
// With npu.cores > 1 each operator is split over the cores (core_partition.h); with a global SRAM,
// activations that fit stay in it between layers. With a cache (one per config), operators lowered for
// earlier workloads are not lowered again, and this workload's are kept for later ones.
std::vector<LayerProgram> map_workload(const Workload& workload, const NpuConfig& config,
                                       LoweringCache* cache = nullptr);

}  // namespace npusim
