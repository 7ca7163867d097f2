// ONNX graph-level passes: activation fusion, elementwise ops, identity/BatchNorm pass-through.
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

void GraphImporter::where(const Node& node) {
  const Tensor& cond = input(node, 0);
  const Tensor& a = input(node, 1);
  const Tensor& b = input(node, 2);
  const Dims out = broadcast({cond.dims, a.dims, b.dims});
  const uint64_t count = elements(out, "output");
  if (cond.constant && a.constant && b.constant) {
    Tensor result;
    result.dims = out;
    result.constant = true;
    const auto value = [](const std::vector<int64_t>& v, uint64_t i) { return v[v.size() == 1 ? 0 : i]; };
    const auto fits = [count](const std::optional<std::vector<int64_t>>& v) {
      return v && (v->size() == 1 || v->size() == count);
    };
    if (count <= kMaxValues && fits(cond.ints) && fits(a.ints) && fits(b.ints)) {
      std::vector<int64_t> ints;
      for (uint64_t i = 0; i < count; ++i) ints.push_back(value(*cond.ints, i) != 0 ? value(*a.ints, i) : value(*b.ints, i));
      result.ints = ints;
    }
    set_output(node, 0, std::move(result));
    return;
  }
  set_output(node, 0, eltwise(EltwiseKind::kAdd, {&cond, &a, &b}, out));
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

}  // namespace npusim::onnx_detail

#endif  // NPUSIM_HAVE_ONNX
