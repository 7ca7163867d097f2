// ONNX graph-level passes: activation fusion, elementwise ops, identity/BatchNorm pass-through, dispatch.
#ifdef NPUSIM_HAVE_ONNX

#include <algorithm>
#include <functional>
#include <unordered_map>

#include "workloads/importers/onnx_internal.h"

namespace npusim::onnx_detail {

bool GraphImporter::can_fuse(const Node& node, const Tensor& x) const {
  if (x.fusable_op < 0) return false;
  const Operator& producer = ops_[static_cast<size_t>(x.fusable_op)];
  const bool kind_ok = producer.kind == OpKind::kConv2d || producer.kind == OpKind::kFullyConnected ||
                       producer.kind == OpKind::kMatMul || producer.kind == OpKind::kElementwise;
  const auto consumers = consumers_.find(node.input(0));
  return kind_ok && producer.activation == Activation::kNone && consumers != consumers_.end() &&
         consumers->second == 1 && graph_outputs_.count(node.input(0)) == 0;
}

// One activation operand: fused into its producer when it is that producer's only consumer, else an
// elementwise operator of its own.
void GraphImporter::unary(const Node& node, EltwiseKind kind, std::optional<Activation> activation) {
  const Tensor& x = input(node, 0);
  if (x.constant) {
    set_output(node, 0, alias(x, x.dims));
    return;
  }
  if (activation && can_fuse(node, x)) {
    ops_[static_cast<size_t>(x.fusable_op)].activation = *activation;
    Tensor out = alias(x, x.dims);
    set_output(node, 0, std::move(out));
    return;
  }
  set_output(node, 0, eltwise(kind, {&x}, x.dims));
}

Tensor GraphImporter::eltwise(EltwiseKind kind, const std::vector<const Tensor*>& operands, const Dims& out) {
  const auto [batch, per_item] = split_batch(out);
  EltwiseParams p;
  p.kind = kind;
  p.elements = per_item;
  p.inputs = 0;
  for (const Tensor* t : operands) p.inputs += t->constant ? 0 : 1;
  p.inputs = std::max<uint32_t>(p.inputs, 1);
  Operator op;
  op.kind = OpKind::kElementwise;
  op.batch = batch;
  op.params = p;
  return emit(op, operands, out);
}

void GraphImporter::binary(const Node& node, EltwiseKind kind) {
  std::vector<const Tensor*> operands;
  std::vector<Dims> shapes;
  for (int i = 0; i < node.input_size(); ++i) {
    if (!has_input(node, i)) continue;
    operands.push_back(&input(node, i));
    shapes.push_back(operands.back()->dims);
  }
  if (operands.empty()) fail("expected at least one input");
  const Dims out = broadcast(shapes);
  const bool all_constant =
      std::all_of(operands.begin(), operands.end(), [](const Tensor* t) { return t->constant; });
  if (all_constant) {
    Tensor result;
    result.dims = out;
    result.constant = true;
    result.ints = fold_ints(node.op_type(), operands, elements(out, "output"));
    set_output(node, 0, std::move(result));
    return;
  }
  set_output(node, 0, eltwise(kind, operands, out));
}

// Identity-like nodes: the same data, so an activation after them may still fuse into the producer.
void GraphImporter::pass_through(const Node& node) {
  const Tensor& x = input(node, 0);
  Tensor out = alias(x, x.dims);
  out.ints = x.ints;
  out.floats = x.floats;
  const auto consumers = consumers_.find(node.input(0));
  if (consumers != consumers_.end() && consumers->second == 1 && graph_outputs_.count(node.input(0)) == 0) {
    out.fusable_op = x.fusable_op;
  }
  for (int i = 1; i < node.output_size(); ++i) {  // Dropout's mask; BatchNormalization's running stats
    set_output(node, i,
               alias(x, node.op_type() == "Dropout" ? x.dims : Dims{x.dims.size() > 1 ? x.dims[1] : 1}));
  }
  set_output(node, 0, std::move(out));
}

void GraphImporter::import_node(const Node& node) {
  using Handler = std::function<void(GraphImporter&, const Node&)>;
  auto unary_of = [](EltwiseKind kind, std::optional<Activation> activation) {
    return Handler([kind, activation](GraphImporter& g, const Node& n) { g.unary(n, kind, activation); });
  };
  auto binary_of = [](EltwiseKind kind) {
    return Handler([kind](GraphImporter& g, const Node& n) { g.binary(n, kind); });
  };
  static const std::unordered_map<std::string, Handler> handlers{
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
      {"Add", binary_of(EltwiseKind::kAdd)},
      {"Sub", binary_of(EltwiseKind::kAdd)},
      {"Sum", binary_of(EltwiseKind::kAdd)},
      {"Mean", binary_of(EltwiseKind::kAdd)},
      {"Max", binary_of(EltwiseKind::kAdd)},
      {"Min", binary_of(EltwiseKind::kAdd)},
      {"Mul", binary_of(EltwiseKind::kMul)},
      {"Div", binary_of(EltwiseKind::kMul)},
      {"Pow", binary_of(EltwiseKind::kMul)},
      {"Relu", unary_of(EltwiseKind::kRelu, Activation::kRelu)},
      {"LeakyRelu", unary_of(EltwiseKind::kRelu, Activation::kRelu)},
      {"PRelu", unary_of(EltwiseKind::kRelu, std::nullopt)},
      {"Clip", unary_of(EltwiseKind::kRelu6, Activation::kRelu6)},
      {"Sigmoid", unary_of(EltwiseKind::kSigmoid, Activation::kSigmoid)},
      {"HardSigmoid", unary_of(EltwiseKind::kSigmoid, Activation::kSigmoid)},
      {"HardSwish", unary_of(EltwiseKind::kSilu, Activation::kSilu)},
      {"Mish", unary_of(EltwiseKind::kSilu, std::nullopt)},
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
  };
  const auto it = handlers.find(node.op_type());
  if (it == handlers.end()) fail("no handler (internal: supported_types() and the handler table differ)");
  it->second(*this, node);
}

}  // namespace npusim::onnx_detail

#endif  // NPUSIM_HAVE_ONNX
