// The mapper's entry point: every operator lowered in order, then the global-SRAM placement.
#include "workloads/mapper/mapper.h"

#include <algorithm>

#include "arch/spec/input_error.h"
#include "workloads/ir/workload_limits.h"
#include "workloads/mapper/core_partition.h"
#include "workloads/mapper/global_sram_placement.h"
#include "workloads/mapper/operator_identity.h"
#include "workloads/mapper/partition_estimate.h"
#include "workloads/mapper/scalesim_lowering.h"

namespace npusim {

std::vector<LayerProgram> map_workload(const Workload& workload, const NpuConfig& config) {
  check_workload_limits(workload);
  std::vector<LayerProgram> programs;
  programs.reserve(workload.ops.size());
  std::vector<uint32_t> distinct;  // the first operator of each kind that lowers alike
  for (uint32_t i = 0; i < workload.ops.size(); ++i) {
    const Operator& op = workload.ops[i];
    const auto same = std::find_if(distinct.begin(), distinct.end(),
                                   [&](uint32_t j) { return lowers_alike(workload.ops[j], op); });
    if (same != distinct.end()) {  // a repeated block: the same search would find the same program
      programs.push_back(programs[*same]);
      programs.back().op_index = i;
      programs.back().name = op.name;
      continue;
    }
    distinct.push_back(i);
    try {
      programs.push_back(config.timing_mode == TimingMode::kScaleSim ? lower_scalesim_layer(op, i, config)
                                                                     : map_operator_on_cores(op, i, config));
    } catch (const CommandLimitExceeded&) {
      throw InputError(workload.source.empty() ? workload.name : workload.source, "operator '" + op.name + "'",
                       "needs more than " + std::to_string(kMaxCommandsPerStream) +
                           " commands on one core of this NPU; split it or give the core more SRAM");
    }
  }
  place_activations_in_global_sram(workload, programs, config);
  for (LayerProgram& program : programs) program.mapping.estimated_cycles = estimate_layer_cycles(program, config);
  return programs;
}

}  // namespace npusim
