// The vector unit's cost table (see vector_costs.h for the derivation of each entry).
#include "workloads/mapper/vector_costs.h"

namespace npusim {

uint32_t eltwise_vector_ops(EltwiseKind kind) {
  switch (kind) {
    case EltwiseKind::kAdd:
    case EltwiseKind::kMul:
    case EltwiseKind::kRelu:
    case EltwiseKind::kCopy: return kVectorOpsAlu;
    case EltwiseKind::kRelu6: return 2 * kVectorOpsAlu;
    case EltwiseKind::kSigmoid: return kVectorOpsExp + kVectorOpsAlu + kVectorOpsReciprocal;
    case EltwiseKind::kSilu: return eltwise_vector_ops(EltwiseKind::kSigmoid) + kVectorOpsAlu;
    case EltwiseKind::kGelu: return 5 * kVectorOpsAlu + kVectorOpsTanh;
    case EltwiseKind::kHardSigmoid: return 3 * kVectorOpsAlu;
    case EltwiseKind::kHardSwish: return eltwise_vector_ops(EltwiseKind::kHardSigmoid) + kVectorOpsAlu;
  }
  return kVectorOpsAlu;
}

uint32_t vector_ops_per_element(const Operator& op) {
  switch (op.kind) {
    case OpKind::kElementwise: return eltwise_vector_ops(std::get<EltwiseParams>(op.params).kind);
    case OpKind::kSoftmax: return kSoftmaxVectorOps;
    case OpKind::kLayerNorm: return kLayerNormVectorOps;
    case OpKind::kRmsNorm: return kRmsNormVectorOps;
    case OpKind::kRotary: return kRotaryVectorOps;
    case OpKind::kEmbedding: return kEmbeddingVectorOps;
    // Depthwise conv counts MACs and pooling window reads (VectorOpKind); the rest run on the array.
    case OpKind::kConv2d:
    case OpKind::kFullyConnected:
    case OpKind::kMatMul:
    case OpKind::kMaxPool:
    case OpKind::kAvgPool:
    case OpKind::kAttention: return 0;
  }
  return 0;
}

}  // namespace npusim
