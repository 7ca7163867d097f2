// Single-core dispatch: which lowering an operator takes (see operator_lowering.h).
#include "workloads/mapper/operator_lowering.h"

#include "arch/spec/overloaded.h"
#include "workloads/mapper/attention_lowering.h"
#include "workloads/mapper/gemm_lowering.h"
#include "workloads/mapper/vector_lowering.h"

namespace npusim {
namespace {

enum class Lowering : uint8_t { kGemm, kVector, kAttention };

// One handler per kind of params, so a new operator kind fails to compile until it picks a lowering.
Lowering lowering_for(const Operator& op, const NpuConfig& config) {
  return std::visit(Overloaded{[&](const ConvParams& conv) {
                                 return is_depthwise(conv) && config.vector.depthwise_on_vector
                                            ? Lowering::kVector
                                            : Lowering::kGemm;
                               },
                               [](const MatMulParams&) { return Lowering::kGemm; },
                               [](const PoolParams&) { return Lowering::kVector; },
                               [](const EltwiseParams&) { return Lowering::kVector; },
                               [](const RowParams&) { return Lowering::kVector; },
                               [](const RotaryParams&) { return Lowering::kVector; },
                               [](const EmbeddingParams&) { return Lowering::kVector; },
                               [](const AttentionParams&) { return Lowering::kAttention; }},
                    op.params);
}

}  // namespace

bool runs_on_array(const Operator& op, const NpuConfig& config) {
  return lowering_for(op, config) == Lowering::kGemm;
}

LayerProgram map_operator(const Operator& op, uint32_t op_index, const NpuConfig& config) {
  switch (lowering_for(op, config)) {
    case Lowering::kGemm:
      return lower_gemm_layer(op, op_index, config);
    case Lowering::kVector:
      return lower_vector_layer(op, op_index, config);
    case Lowering::kAttention:
      return lower_attention_layer(op, op_index, config);
  }
  return lower_vector_layer(op, op_index, config);  // not reached: the switch covers every Lowering
}

}  // namespace npusim
