// Tile-size and loop-order search for GEMM-like operators: over the search space (gemm_search_space.h)
// with the cost model (gemm_cost.h), the mapper's choose_best rule picks the plan.
#pragma once

#include <cstddef>
#include <vector>

#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"
#include "workloads/mapper/gemm_cost.h"
#include "workloads/mapper/gemm_search_space.h"

namespace npusim {

// Every candidate tiling and both loop orders that fit the SRAM (dominated K tiles are skipped, see the
// .cpp), chosen by choose_best: with the latency objective the fastest estimated double-buffered time
// first, then (within the tolerance) the least DRAM traffic; then fewer tiles, then fewer estimated
// cycles. Throws InputError (npu.sram.capacity_bytes) when even the smallest tile does not fit.
GemmPlan plan_gemm(const GemmProblem& problem, const NpuConfig& config, const Operator& op);

// plan_gemm's pick first, then (latency objective only) for this SRAM and a half, a quarter, ... of it
// down to the smallest tile's footprint: each level's rule pick, its `count` fastest by estimated time,
// and its `count` fastest among the tilings twice its capacity does not have. The shortlist of twice
// the SRAM holds this one. The lowering holds them against the schedule of their emitted commands.
std::vector<GemmPlan> gemm_plan_shortlist(const GemmProblem& problem, const NpuConfig& config, const Operator& op,
                                          size_t count);

}  // namespace npusim
