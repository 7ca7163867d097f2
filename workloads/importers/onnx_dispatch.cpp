// Dispatch of ONNX nodes to their importers: the one table of supported operator types.
#ifdef NPUSIM_HAVE_ONNX

#include <functional>
#include <optional>
#include <unordered_map>

#include "workloads/importers/onnx_internal.h"

namespace npusim::onnx_detail {

void GraphImporter::add_compute_handlers(HandlerTable& table) {
  table.insert({
      {"Conv", &GraphImporter::conv},
      {"Gemm", &GraphImporter::gemm},
      {"MatMul", &GraphImporter::matmul},
      {"MaxPool", [](GraphImporter& g, const Node& n) { g.pool(n, OpKind::kMaxPool); }},
      {"AveragePool", [](GraphImporter& g, const Node& n) { g.pool(n, OpKind::kAvgPool); }},
      {"LpPool", [](GraphImporter& g, const Node& n) { g.pool(n, OpKind::kAvgPool); }},
      {"GlobalAveragePool", [](GraphImporter& g, const Node& n) { g.global_pool(n, OpKind::kAvgPool); }},
      {"GlobalMaxPool", [](GraphImporter& g, const Node& n) { g.global_pool(n, OpKind::kMaxPool); }},
      {"Softmax", [](GraphImporter& g,
                     const Node& n) { g.rows(n, OpKind::kSoftmax, g.opset_ >= 13 ? -1 : 1, g.opset_ < 13); }},
      {"LogSoftmax",
       [](GraphImporter& g, const Node& n) {
         g.rows(n, OpKind::kSoftmax, g.opset_ >= 13 ? -1 : 1, g.opset_ < 13);
       }},
      {"LayerNormalization",
       [](GraphImporter& g, const Node& n) { g.rows(n, OpKind::kLayerNorm, -1, true); }},
      {"RMSNormalization", [](GraphImporter& g, const Node& n) { g.rows(n, OpKind::kRmsNorm, -1, true); }},
      {"Resize", &GraphImporter::resize},
      {"Upsample", &GraphImporter::resize},
      {"ReduceMean", &GraphImporter::reduce},
      {"ReduceSum", &GraphImporter::reduce},
      {"ReduceMax", &GraphImporter::reduce},
      {"ReduceMin", &GraphImporter::reduce},
      {"ReduceL2", &GraphImporter::reduce},
      {"ReduceProd", &GraphImporter::reduce},
  });
}

void GraphImporter::add_elementwise_handlers(HandlerTable& table) {
  auto unary_of = [](EltwiseKind kind, std::optional<Activation> activation) {
    return NodeHandler([kind, activation](GraphImporter& g, const Node& n) { g.unary(n, kind, activation); });
  };
  auto binary_of = [](EltwiseKind kind) {
    return NodeHandler([kind](GraphImporter& g, const Node& n) { g.binary(n, kind); });
  };
  table.insert({
      {"Add", binary_of(EltwiseKind::kAdd)},
      {"Sub", binary_of(EltwiseKind::kAdd)},
      {"Sum", binary_of(EltwiseKind::kAdd)},
      {"Mean", binary_of(EltwiseKind::kAdd)},
      {"Max", binary_of(EltwiseKind::kAdd)},
      {"Min", binary_of(EltwiseKind::kAdd)},
      {"Mul", binary_of(EltwiseKind::kMul)},
      {"Equal", binary_of(EltwiseKind::kAdd)},  // a compare: folded on constants (shape arithmetic)
      {"Where", &GraphImporter::where},
      {"Div", binary_of(EltwiseKind::kMul)},
      {"Pow", binary_of(EltwiseKind::kMul)},
      {"Relu", unary_of(EltwiseKind::kRelu, Activation::kRelu)},
      {"LeakyRelu", unary_of(EltwiseKind::kRelu, Activation::kRelu)},
      {"PRelu", unary_of(EltwiseKind::kRelu, std::nullopt)},
      {"Clip", unary_of(EltwiseKind::kRelu6, Activation::kRelu6)},
      {"Sigmoid", unary_of(EltwiseKind::kSigmoid, Activation::kSigmoid)},
      {"HardSigmoid", unary_of(EltwiseKind::kHardSigmoid, Activation::kHardSigmoid)},
      {"HardSwish", unary_of(EltwiseKind::kHardSwish, Activation::kHardSwish)},
      {"Mish", unary_of(EltwiseKind::kSilu, std::nullopt)},
      {"Silu", unary_of(EltwiseKind::kSilu, Activation::kSilu)},  // fused Sigmoid * x (onnx_fusion.h)
      {"Tanh", unary_of(EltwiseKind::kSigmoid, Activation::kTanh)},
      {"Gelu", unary_of(EltwiseKind::kGelu, Activation::kGelu)},
      {"Erf", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
      {"Exp", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
      {"Log", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
      {"Sqrt", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
      {"Reciprocal", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
      {"Softplus", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
      {"Elu", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
      {"Selu", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
      {"Neg", unary_of(EltwiseKind::kRelu, std::nullopt)},
      {"Abs", unary_of(EltwiseKind::kRelu, std::nullopt)},
      {"Floor", unary_of(EltwiseKind::kRelu, std::nullopt)},
      {"Ceil", unary_of(EltwiseKind::kRelu, std::nullopt)},
      {"Round", unary_of(EltwiseKind::kRelu, std::nullopt)},
      {"Sign", unary_of(EltwiseKind::kRelu, std::nullopt)},
  });
}

void GraphImporter::add_data_movement_handlers(HandlerTable& table) {
  table.insert({
      {"Identity", &GraphImporter::pass_through},
      {"Dropout", &GraphImporter::pass_through},
      {"Cast", &GraphImporter::pass_through},
      {"CastLike", &GraphImporter::pass_through},
      {"BatchNormalization", &GraphImporter::pass_through},  // folded into the producer's weights
      {"Flatten", &GraphImporter::flatten},
      {"Reshape", &GraphImporter::reshape},
      {"Transpose", &GraphImporter::transpose},
      {"Squeeze", &GraphImporter::squeeze},
      {"Unsqueeze", &GraphImporter::unsqueeze},
      {"Concat", &GraphImporter::concat},
      {"Split", &GraphImporter::split},
      {"Slice", &GraphImporter::slice},
      {"Gather", &GraphImporter::gather},
      {"Expand", &GraphImporter::expand},
      {"Tile", &GraphImporter::tile},
      {"Pad", &GraphImporter::pad},
      {"DepthToSpace", [](GraphImporter& g, const Node& n) { g.depth_space(n, true); }},
      {"SpaceToDepth", [](GraphImporter& g, const Node& n) { g.depth_space(n, false); }},
      {"Shape", &GraphImporter::shape},
      {"Size",
       [](GraphImporter& g, const Node& n) {
         const Tensor& x = g.input(n, 0);
         Tensor t;
         t.constant = true;
         t.ints = std::vector<int64_t>{static_cast<int64_t>(g.elements(x.dims, "input"))};
         g.set_output(n, 0, std::move(t));
       }},
      {"Constant", &GraphImporter::constant},
      {"ConstantOfShape", &GraphImporter::constant_of_shape},
      {"Range", &GraphImporter::range},
  });
}

const GraphImporter::HandlerTable& GraphImporter::handlers() {
  static const HandlerTable table = [] {
    HandlerTable all;
    add_compute_handlers(all);
    add_elementwise_handlers(all);
    add_data_movement_handlers(all);
    return all;
  }();
  return table;
}

bool GraphImporter::has_handler(const std::string& op_type) { return handlers().count(op_type) > 0; }

void GraphImporter::import_node(const Node& node) {
  const auto it = handlers().find(node.op_type());
  if (it == handlers().end()) fail("no handler (internal: unsupported_label() let an unknown type through)");
  it->second(*this, node);
}

}  // namespace npusim::onnx_detail

#endif  // NPUSIM_HAVE_ONNX
