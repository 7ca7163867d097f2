// A lower bound on the estimated time of a GEMM plan as emitted, computed from the plan alone: the
// lowering skips emitting and scheduling a plan this bound already shows to lose (exact pruning: a
// plan skipped would not have been chosen), so its shortlist can span every smaller-SRAM level.
#pragma once

#include "arch/spec/npu_config.h"
#include "workloads/mapper/gemm_cost.h"
#include "workloads/mapper/gemm_search_space.h"

namespace npusim {

// A bound that estimate_layer_cycles of the plan's emitted single-core program never falls below:
//   array: the first load's and the last store's setup + DRAM latency, plus per compute tile with F
//          folds streaming T rows over A arrays at r MACs per PE-cycle, max(F*T/(A*r), ceil(F/A)*preload)
//          (a tile streamed back to back takes rounds*max(stream, preload); weight chunks split F into
//          whole folds, so their sum keeps both terms);
//   DRAM:  the plan's DRAM bytes over the DRAM bandwidth + twice setup + latency (the estimate's floor).
double gemm_schedule_lower_bound_cycles(const GemmProblem& problem, const GemmPlan& plan, const NpuConfig& config);

}  // namespace npusim
