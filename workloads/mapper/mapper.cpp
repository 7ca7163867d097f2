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

namespace {

// `source` names the workload in the error of an operator too big for a core.
LayerProgram lower_operator(const Operator& op, uint32_t op_index, const NpuConfig& config,
                            const std::string& source) {
  try {
    return config.timing_mode == TimingMode::kScaleSim ? lower_scalesim_layer(op, op_index, config)
                                                       : map_operator_on_cores(op, op_index, config);
  } catch (const CommandLimitExceeded&) {
    throw InputError(source, "operator '" + op.name + "'",
                     "needs more than " + std::to_string(kMaxCommandsPerStream) +
                         " commands on one core of this NPU; split it or give the core more SRAM");
  }
}

// `kept` (the same operator's program from a cache) relabelled as operator i of this workload.
LayerProgram relabelled(const LayerProgram& kept, uint32_t op_index, const std::string& name) {
  LayerProgram program = kept;
  program.op_index = op_index;
  program.name = name;
  return program;
}

}  // namespace

std::vector<LayerProgram> map_workload(const Workload& workload, const NpuConfig& config, LoweringCache* cache) {
  check_workload_limits(workload);
  std::vector<LayerProgram> programs;
  programs.reserve(workload.ops.size());
  std::vector<uint32_t> distinct;  // the first operator of each kind that lowers alike
  for (uint32_t i = 0; i < workload.ops.size(); ++i) {
    const Operator& op = workload.ops[i];
    const auto same = std::find_if(distinct.begin(), distinct.end(),
                                   [&](uint32_t j) { return lowers_alike(workload.ops[j], op); });
    if (same != distinct.end()) {  // a repeated block: the same search would find the same program
      programs.push_back(relabelled(programs[*same], i, op.name));
      continue;
    }
    distinct.push_back(i);
    const LayerProgram* kept = cache != nullptr ? cache->find(op) : nullptr;
    if (kept != nullptr) {
      programs.push_back(relabelled(*kept, i, op.name));
      continue;
    }
    programs.push_back(lower_operator(op, i, config, workload.source.empty() ? workload.name : workload.source));
    if (cache != nullptr) cache->keep(op, programs.back());
  }
  place_activations_in_global_sram(workload, programs, config);
  for (LayerProgram& program : programs) program.mapping.estimated_cycles = estimate_layer_cycles(program, config);
  return programs;
}

}  // namespace npusim
