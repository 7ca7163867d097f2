// The vector unit's cost table: ALU operations per element for every operator the vector unit runs.
// One op is one lane-cycle of the vector ALU (vector_op_cycles: latency + elements * ops / lanes).
//
// Primitives (the unit's assumed capability, modelling estimates):
//   add, subtract, multiply, max, compare, select, copy, fused multiply-add ...... 1 op
//   exp, tanh (lookup table with interpolation, one pass) ......................... 1 op
//   reciprocal, rsqrt (lookup table seed + one Newton-Raphson refinement) .......... 2 ops
//   a reduction along a row (running max or sum) costs 1 op per element it reads.
// Per-row work (one reciprocal of a softmax sum, one rsqrt of a variance) is under 2/width ops per
// element, below 0.05 at the widths transformers use (>= 64), and is not counted.
#pragma once

#include <cstdint>

#include "workloads/ir/operator.h"

namespace npusim {

inline constexpr uint32_t kVectorOpsAlu = 1;
inline constexpr uint32_t kVectorOpsExp = 1;
inline constexpr uint32_t kVectorOpsTanh = 1;
inline constexpr uint32_t kVectorOpsReciprocal = 2;
inline constexpr uint32_t kVectorOpsRsqrt = 2;

// Ops per output element of an elementwise op:
//   add, mul, relu, copy 1; relu6 2 (max, min); sigmoid 4 (exp, add, reciprocal);
//   silu 5 (sigmoid, multiply by x); gelu 6 (tanh form: x^3 as 2 multiplies, fma, tanh, add, multiply);
//   hard_sigmoid 3 (fma x/6 + 1/2, max, min); hard_swish 4 (hard_sigmoid, multiply by x).
uint32_t eltwise_vector_ops(EltwiseKind kind);

// Softmax over a row, per element: max-reduce 1, subtract 1, exp 1, sum-reduce 1, multiply by the
// sum's reciprocal 1 = 5. Attention's 1/sqrt(head_dim) scale is folded into the Q projection's output
// path; the causal mask is a select inside the max pass.
inline constexpr uint32_t kSoftmaxVectorOps = 5;
// LayerNorm, per element: mean-reduce 1, subtract 1, square-accumulate 1 (fma), multiply by rstd 1,
// gamma/beta fma 1 = 5.
inline constexpr uint32_t kLayerNormVectorOps = 5;
// RMSNorm, per element: square-accumulate 1 (fma), multiply by rstd 1, multiply by gamma 1 = 3.
inline constexpr uint32_t kRmsNormVectorOps = 3;
// Rotary embedding, per element: x*cos 1, rotate_half(x)*sin 1, add 1 = 3 (the pair swap and sign of
// rotate_half are a free shuffle in the datapath).
inline constexpr uint32_t kRotaryVectorOps = 3;
// Embedding gather, per element: the row is copied into the output buffer = 1.
inline constexpr uint32_t kEmbeddingVectorOps = 1;
// Flash-style online softmax on a score block, per score: running max 1, subtract 1, exp 1, running
// sum 1 = 4 (scale and mask as for kSoftmaxVectorOps; the division by the sum waits for the end).
inline constexpr uint32_t kOnlineSoftmaxVectorOps = 4;
// Rescaling an attention output accumulator when a later key block raises a row's max, per
// accumulator element (the per-row exp of the max difference is per-row work) = 1.
inline constexpr uint32_t kAttentionRescaleVectorOps = 1;
// Final normalisation of an attention output row by its softmax sum, per element = 1.
inline constexpr uint32_t kAttentionFinalizeVectorOps = 1;

// Ops per output element for an operator lowered to the vector unit by element count (elementwise,
// softmax, norms, rotary, embedding); 0 for operators that are not (pooling and depthwise count
// window reads and MACs instead; attention uses the constants above).
uint32_t vector_ops_per_element(const Operator& op);

}  // namespace npusim
