#include "workloads/mapper/mapper.h"

#include "workloads/mapper/attention_lowering.h"
#include "workloads/mapper/core_partition.h"
#include "workloads/mapper/gemm_lowering.h"
#include "workloads/mapper/scalesim_lowering.h"
#include "workloads/mapper/vector_lowering.h"

namespace npusim {

bool runs_on_array(const Operator& op, const NpuConfig& config) {
  if (!has_gemm_view(op)) return false;
  const auto* conv = std::get_if<ConvParams>(&op.params);
  return !(conv != nullptr && is_depthwise(*conv) && config.vector.depthwise_on_vector);
}

LayerProgram map_operator(const Operator& op, uint32_t op_index, const NpuConfig& config) {
  if (op.kind == OpKind::kAttention) return lower_attention_layer(op, op_index, config);
  return runs_on_array(op, config) ? lower_gemm_layer(op, op_index, config)
                                   : lower_vector_layer(op, op_index, config);
}

std::vector<LayerProgram> map_workload(const Workload& workload, const NpuConfig& config) {
  std::vector<LayerProgram> programs;
  programs.reserve(workload.ops.size());
  for (uint32_t i = 0; i < workload.ops.size(); ++i) {
    const Operator& op = workload.ops[i];
    programs.push_back(config.timing_mode == TimingMode::kScaleSim ? lower_scalesim_layer(op, i, config)
                                                                   : map_operator_on_cores(op, i, config));
  }
  place_activations_in_global_sram(workload, programs, config);
  return programs;
}

}  // namespace npusim
