// Fusion of the subgraphs ONNX exporters decompose (hard-swish, Erf GELU, LayerNorm at opset < 17,
// Softmax, SiLU, MatMul + bias Add) back into the single operators real compilers run them as.
#pragma once

#ifdef NPUSIM_HAVE_ONNX

#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

namespace npusim::onnx_detail {

// Matches (all intermediate tensors used once and not graph outputs; constants from initializers or
// Constant nodes):
//   hard_sigmoid  Div(Clip(Add(x, 3), 0, 6), 6) (or Mul by 1/6)                 -> HardSigmoid(x)
//   hard_swish    Mul(x, HardSigmoid(x)); Div(Mul(x, Clip(Add(x, 3), 0, 6)), 6)  -> HardSwish(x)
//   silu          Mul(x, Sigmoid(x))                                            -> Silu(x)
//   gelu          0.5 * x * (1 + Erf(x / sqrt 2)), any order of the products     -> Gelu(x)
//   layernorm     ReduceMean, Sub, Pow 2, ReduceMean, Add eps, Sqrt, Div [, Mul gamma, Add beta]
//                                                                                -> LayerNormalization(x)
//   softmax       [ReduceMax, Sub,] Exp, ReduceSum, Div                          -> Softmax(x)
//   matmul_bias   Add(MatMul(a, W), b) with W and b constant                    -> MatMul(a, W, b)
// Rewrites `graph`'s nodes in place (each matched subgraph becomes one node where its last node was, so
// the order stays topological); returns the fusions applied, "hard_swish x3", in the order above.
std::vector<std::string> fuse_exported_subgraphs(onnx::GraphProto& graph, int64_t opset);

}  // namespace npusim::onnx_detail

#endif  // NPUSIM_HAVE_ONNX
