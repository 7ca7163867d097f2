// Which params struct each op kind of the trace format carries.
#include "workloads/exporters/trace_schema.h"

namespace npusim {

OpParams trace_default_params(OpKind kind) {
  switch (kind) {
    case OpKind::kConv2d:
      return ConvParams{};
    case OpKind::kFullyConnected:
    case OpKind::kMatMul:
      return MatMulParams{};
    case OpKind::kMaxPool:
    case OpKind::kAvgPool:
      return PoolParams{};
    case OpKind::kElementwise:
      return EltwiseParams{};
    case OpKind::kSoftmax:
    case OpKind::kLayerNorm:
    case OpKind::kRmsNorm:
      return RowParams{};
    case OpKind::kRotary:
      return RotaryParams{};
    case OpKind::kEmbedding:
      return EmbeddingParams{};
    case OpKind::kAttention:
      return AttentionParams{};
  }
  return ConvParams{};
}

}  // namespace npusim
