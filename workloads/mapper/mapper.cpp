// The mapper's entry point: every operator lowered in order, then the global-SRAM placement.
#include "workloads/mapper/mapper.h"

#include "workloads/mapper/core_partition.h"
#include "workloads/mapper/global_sram_placement.h"
#include "workloads/mapper/partition_estimate.h"
#include "workloads/mapper/scalesim_lowering.h"

namespace npusim {

std::vector<LayerProgram> map_workload(const Workload& workload, const NpuConfig& config) {
  std::vector<LayerProgram> programs;
  programs.reserve(workload.ops.size());
  for (uint32_t i = 0; i < workload.ops.size(); ++i) {
    const Operator& op = workload.ops[i];
    programs.push_back(config.timing_mode == TimingMode::kScaleSim ? lower_scalesim_layer(op, i, config)
                                                                   : map_operator_on_cores(op, i, config));
  }
  place_activations_in_global_sram(workload, programs, config);
  for (LayerProgram& program : programs) program.mapping.estimated_cycles = estimate_layer_cycles(program, config);
  return programs;
}

}  // namespace npusim
