// ONNX import: models built here with the protobuf classes of libonnx-dev, so each test states its graph
// and the IR it must become: conv attributes, activation fusion, folded batch norms and data movement,
// matmuls, softmax and layer norm, shape subgraphs, unsupported operators, dynamic shapes, bad bytes.
#include <doctest/doctest.h>

#ifdef NPUSIM_HAVE_ONNX

#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

#include "arch/spec/input_error.h"
#include "tests/support/input_error_of.h"
#include "workloads/importers/onnx_model.h"
#include "workloads/zoo/model_zoo.h"

using namespace npusim_test;

namespace {

using npusim::Activation;
using npusim::InputError;
using npusim::OpKind;
using npusim::Workload;
using Dims = std::vector<int64_t>;

class ModelBuilder {
 public:
  explicit ModelBuilder(int64_t opset = 13) {
    model_.set_ir_version(8);
    auto* entry = model_.add_opset_import();
    entry->set_domain("");
    entry->set_version(opset);
    graph_ = model_.mutable_graph();
    graph_->set_name("g");
  }

  // A graph input; -1 marks a dynamic dimension named `symbol`.
  void input(const std::string& name, const Dims& dims, const std::string& symbol = "N") {
    auto* info = graph_->add_input();
    info->set_name(name);
    auto* tensor = info->mutable_type()->mutable_tensor_type();
    tensor->set_elem_type(onnx::TensorProto::FLOAT);
    auto* shape = tensor->mutable_shape();
    for (int64_t d : dims) {
      auto* dim = shape->add_dim();
      if (d < 0) {
        dim->set_dim_param(symbol);
      } else {
        dim->set_dim_value(d);
      }
    }
  }

  // A float weight (no values: only its shape matters) or an int64 constant with values.
  void weight(const std::string& name, const Dims& dims, size_t raw_bytes = 0) {
    auto* t = graph_->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::FLOAT);
    for (int64_t d : dims) t->add_dims(d);
    if (raw_bytes > 0) t->set_raw_data(std::string(raw_bytes, '\1'));
  }
  void ints(const std::string& name, const Dims& values) {
    auto* t = graph_->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto::INT64);
    t->add_dims(static_cast<int64_t>(values.size()));
    for (int64_t v : values) t->add_int64_data(v);
  }

  onnx::NodeProto& node(const std::string& type, const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs, const std::string& name = "") {
    auto* n = graph_->add_node();
    n->set_op_type(type);
    n->set_name(name.empty() ? outputs.front() : name);
    for (const auto& i : inputs) n->add_input(i);
    for (const auto& o : outputs) n->add_output(o);
    return *n;
  }

  void output(const std::string& name) { graph_->add_output()->set_name(name); }
  std::string bytes() const { return model_.SerializeAsString(); }

 private:
  onnx::ModelProto model_;
  onnx::GraphProto* graph_;
};

void attr(onnx::NodeProto& node, const std::string& name, const Dims& values) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INTS);
  for (int64_t v : values) a->add_ints(v);
}
void attr(onnx::NodeProto& node, const std::string& name, int64_t value) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::INT);
  a->set_i(value);
}

void attr_s(onnx::NodeProto& node, const std::string& name, const std::string& value) {
  auto* a = node.add_attribute();
  a->set_name(name);
  a->set_type(onnx::AttributeProto::STRING);
  a->set_s(value);
}

Workload import(const ModelBuilder& m, npusim::OnnxImportOptions options = {}) {
  return npusim::parse_onnx_model(m.bytes(), "m.onnx", "m", options);
}

std::string error_of(const std::string& bytes, npusim::OnnxImportOptions options = {}) {
  return input_error_of([&] { npusim::parse_onnx_model(bytes, "m.onnx", "m", options); }, "(no error)");
}

const npusim::Operator& op_named(const Workload& w, const std::string& name) {
  for (const auto& op : w.ops) {
    if (op.name == name) return op;
  }
  FAIL("no operator " << name);
  return w.ops.front();
}

uint32_t index_of(const Workload& w, const std::string& name) {
  for (size_t i = 0; i < w.ops.size(); ++i) {
    if (w.ops[i].name == name) return static_cast<uint32_t>(i);
  }
  FAIL("no operator " << name);
  return 0;
}

}  // namespace

TEST_CASE("onnx: a small CNN: conv attributes, fused activations, folded batch norm, pools, gemm") {
  ModelBuilder m;
  m.input("x", {1, 3, 32, 32});
  m.weight("w1", {16, 3, 3, 3});
  for (const char* bn : {"scale", "bias", "mean", "var"}) m.weight(bn, {16});
  m.weight("w2", {16, 1, 3, 3});
  m.weight("wfc", {10, 16});
  auto& conv1 = m.node("Conv", {"x", "w1"}, {"c1"}, "conv1");
  attr(conv1, "strides", Dims{2, 2});
  attr(conv1, "pads", Dims{1, 1, 1, 1});
  m.node("BatchNormalization", {"c1", "scale", "bias", "mean", "var"}, {"bn1"});
  m.node("Relu", {"bn1"}, {"r1"});
  auto& dw = m.node("Conv", {"r1", "w2"}, {"c2"}, "dw");
  attr(dw, "group", 16);
  attr_s(dw, "auto_pad", "SAME_UPPER");
  m.node("Clip", {"c2"}, {"r2"});
  auto& maxpool = m.node("MaxPool", {"r2"}, {"p1"}, "maxpool");
  attr(maxpool, "kernel_shape", Dims{2, 2});
  attr(maxpool, "strides", Dims{2, 2});
  auto& avgpool = m.node("AveragePool", {"r2"}, {"p2"}, "avgpool");
  attr(avgpool, "kernel_shape", Dims{3, 3});
  attr(avgpool, "strides", Dims{2, 2});
  attr(avgpool, "pads", Dims{1, 1, 1, 1});
  m.node("Add", {"p1", "p2"}, {"s"}, "add");
  m.node("Relu", {"s"}, {"sr"});
  m.node("GlobalAveragePool", {"sr"}, {"g"}, "gap");
  m.node("Flatten", {"g"}, {"f"});
  auto& gemm = m.node("Gemm", {"f", "wfc"}, {"y"}, "fc");
  attr(gemm, "transB", 1);
  m.output("y");

  const Workload w = import(m);
  REQUIRE(w.ops.size() == 7);  // conv1, dw, maxpool, avgpool, add, gap, fc: the rest fused or folded
  CHECK(w.name == "m");
  CHECK(w.source == "m.onnx");
  const auto& c1 = op_named(w, "conv1");
  const auto& p1 = std::get<npusim::ConvParams>(c1.params);
  CHECK(p1.stride_h == 2);
  CHECK(p1.pad_top == 1);
  CHECK(p1.pad_right == 1);
  CHECK(c1.activation == Activation::kRelu);  // through the folded batch norm
  const auto& d = op_named(w, "dw");
  const auto& pd = std::get<npusim::ConvParams>(d.params);
  CHECK(pd.groups == 16);
  CHECK(npusim::is_depthwise(pd));
  CHECK(pd.pad_top + pd.pad_bottom == 2);  // SAME_UPPER, 3x3 stride 1
  CHECK(d.activation == Activation::kRelu6);
  CHECK(op_named(w, "add").activation == Activation::kRelu);
  CHECK(op_named(w, "add").inputs == std::vector<uint32_t>{index_of(w, "maxpool"), index_of(w, "avgpool")});
  CHECK(op_named(w, "gap").kind == OpKind::kAvgPool);
  CHECK(std::get<npusim::PoolParams>(op_named(w, "gap").params).global);
  const auto& fc = op_named(w, "fc");
  CHECK(fc.kind == OpKind::kFullyConnected);
  CHECK(fc.inputs == std::vector<uint32_t>{index_of(w, "gap")});
  // conv1: 16x16 outputs x 16 filters x 27 = 110592; dw: 16x16x16 x 9 = 36864; fc: 16 x 10 = 160.
  CHECK(npusim::workload_macs(w) == 110592 + 36864 + 160);
}

TEST_CASE("onnx: a convolution maps to exactly the zoo's conv of the same shape") {
  // zoo conv:h=17,w=13,c=8,k=16,r=3,s=5,stride=2,pad=1,groups=4
  ModelBuilder m;
  m.input("x", {1, 8, 17, 13});
  m.weight("w", {16, 2, 3, 5});
  auto& conv = m.node("Conv", {"x", "w"}, {"y"}, "conv");
  attr(conv, "strides", Dims{2, 2});
  attr(conv, "pads", Dims{1, 1, 1, 1});
  attr(conv, "group", 4);
  const Workload w = import(m, {npusim::DType::kInt8, 0, false});
  const Workload zoo = npusim::build_zoo_workload(
      npusim::parse_workload_spec("conv:h=17,w=13,c=8,k=16,r=3,s=5,stride=2,pad=1,groups=4"),
      npusim::DType::kInt8);
  REQUIRE(w.ops.size() == 1);
  const auto& a = std::get<npusim::ConvParams>(w.ops[0].params);
  const auto& b = std::get<npusim::ConvParams>(zoo.ops[0].params);
  CHECK(a.in_h == b.in_h);
  CHECK(a.in_w == b.in_w);
  CHECK(a.in_c == b.in_c);
  CHECK(a.out_c == b.out_c);
  CHECK(a.kernel_h == b.kernel_h);
  CHECK(a.kernel_w == b.kernel_w);
  CHECK(a.stride_w == b.stride_w);
  CHECK(a.pad_left == b.pad_left);
  CHECK(a.pad_bottom == b.pad_bottom);
  CHECK(a.groups == b.groups);
  CHECK(npusim::op_macs(w.ops[0]) == npusim::op_macs(zoo.ops[0]));
}

TEST_CASE("onnx: attention-style graph: matmuls, reshape/transpose as data movement, softmax, layer norm") {
  ModelBuilder m(17);
  m.input("x", {2, 8, 32});
  m.weight("wq", {32, 64});
  m.ints("heads", {2, 8, 4, 16});
  for (const char* p : {"gamma", "beta"}) m.weight(p, {64});
  m.node("MatMul", {"x", "wq"}, {"q"}, "proj");
  m.node("Reshape", {"q", "heads"}, {"qh"});
  auto& t1 = m.node("Transpose", {"qh"}, {"qt"});
  attr(t1, "perm", Dims{0, 2, 1, 3});  // [2, 4, 8, 16]
  auto& t2 = m.node("Transpose", {"qt"}, {"kt"});
  attr(t2, "perm", Dims{0, 1, 3, 2});  // [2, 4, 16, 8]
  m.node("MatMul", {"qt", "kt"}, {"scores"}, "qk");
  m.node("Softmax", {"scores"}, {"probs"}, "softmax");
  m.node("LayerNormalization", {"q", "gamma", "beta"}, {"ln"}, "ln");
  m.output("probs");
  m.output("ln");

  const Workload w = import(m);
  REQUIRE(w.ops.size() == 4);
  const auto& proj = op_named(w, "proj");
  CHECK(proj.kind == OpKind::kFullyConnected);
  CHECK(proj.batch == 2);
  const auto& pp = std::get<npusim::MatMulParams>(proj.params);
  CHECK(pp.m == 8);
  CHECK(pp.n == 64);
  CHECK(pp.k == 32);
  const auto& qk = op_named(w, "qk");
  CHECK(qk.kind == OpKind::kMatMul);
  CHECK(qk.batch == 8);  // 2 x 4 heads
  const auto& pq = std::get<npusim::MatMulParams>(qk.params);
  CHECK(pq.m == 8);
  CHECK(pq.n == 8);
  CHECK(pq.k == 16);
  CHECK_FALSE(pq.b_is_weight);
  CHECK(qk.inputs == std::vector<uint32_t>{index_of(w, "proj")});  // through reshape and transposes
  const auto& sm = op_named(w, "softmax");
  CHECK(sm.kind == OpKind::kSoftmax);
  CHECK(sm.batch == 2);
  CHECK(std::get<npusim::RowParams>(sm.params).width == 8);
  CHECK(std::get<npusim::RowParams>(sm.params).rows == 32);  // 4 heads x 8 queries per batch item
  const auto& ln = op_named(w, "ln");
  CHECK(ln.kind == OpKind::kLayerNorm);
  CHECK(std::get<npusim::RowParams>(ln.params).width == 64);
  CHECK(std::get<npusim::RowParams>(ln.params).rows == 8);
}

TEST_CASE("onnx: a shape subgraph (Shape, Gather, Unsqueeze, Concat) folds into the Reshape it feeds") {
  ModelBuilder m;
  m.input("x", {3, 4, 6, 6});
  m.weight("w", {8, 4, 1, 1});
  m.weight("wfc", {288, 5});
  m.ints("zero", {0});
  m.ints("minus_one", {-1});
  m.node("Conv", {"x", "w"}, {"c"}, "conv");
  m.node("Shape", {"c"}, {"shape"});
  auto& gather = m.node("Gather", {"shape", "zero"}, {"n"});
  attr(gather, "axis", 0);
  attr(m.node("Concat", {"n", "minus_one"}, {"target"}), "axis", 0);
  m.node("Reshape", {"c", "target"}, {"flat"});
  m.node("MatMul", {"flat", "wfc"}, {"y"}, "fc");
  const Workload w = import(m);
  REQUIRE(w.ops.size() == 2);
  const auto& fc = op_named(w, "fc");
  CHECK(fc.batch == 3);
  CHECK(std::get<npusim::MatMulParams>(fc.params).k == 288);  // 8 x 6 x 6
  CHECK(fc.inputs == std::vector<uint32_t>{0});
}

TEST_CASE("onnx: unsupported operators are reported by name and count, or skipped with a warning") {
  ModelBuilder m;
  m.input("x", {1, 4, 8, 8});
  m.weight("w", {4, 4, 3, 3});
  m.node("Foo", {"x"}, {"a"});
  m.node("Conv", {"a", "w"}, {"b"}, "conv");
  m.node("Foo", {"b"}, {"c"});
  auto& dilated = m.node("Conv", {"c", "w"}, {"d"}, "dilated");
  attr(dilated, "dilations", Dims{2, 2});
  auto& bar = m.node("Bar", {"d"}, {"e"});
  bar.set_domain("com.example");
  m.weight("w2", {4, 4, 1, 1});
  m.node("Conv", {"e", "w2"}, {"y"}, "last");
  CHECK(error_of(m.bytes()) ==
        "m.onnx: unsupported operators: Foo x2, Conv(dilations>1) x1, com.example.Bar x1; expected only the "
        "operators npusim maps (traces/README.md), or --allow-unsupported to skip these with a warning");
  const Workload w = import(m, {npusim::DType::kInt8, 0, true});
  REQUIRE(w.ops.size() == 2);
  CHECK(w.ops[1].name == "last");
  CHECK(w.ops[1].inputs == std::vector<uint32_t>{0});  // the dependency runs through the skipped nodes
  REQUIRE(w.warnings.size() == 1);
  CHECK(w.warnings[0] ==
        "skipped 4 unsupported ONNX operators (--allow-unsupported): Foo x2, Conv(dilations>1) x1, "
        "com.example.Bar x1; their cost is not simulated");
}

TEST_CASE("onnx: dynamic dimensions are errors naming the input and dimension; --batch sets a batch dim") {
  ModelBuilder m;
  m.input("images", {-1, 3, 8, 8}, "batch_size");
  m.weight("w", {4, 3, 1, 1});
  m.node("Conv", {"images", "w"}, {"y"}, "conv");
  CHECK(error_of(m.bytes()) ==
        "m.onnx: input 'images': dim 0 ('batch_size') is dynamic; expected static shapes: export the model "
        "with "
        "fixed input sizes or pass --batch N for a dynamic batch dimension");
  const Workload w = import(m, {npusim::DType::kInt8, 4, false});
  CHECK(w.ops[0].batch == 4);

  ModelBuilder seq;
  seq.input("tokens", {1, -1, 8}, "seq_len");
  seq.weight("w", {8, 8});
  seq.node("MatMul", {"tokens", "w"}, {"y"});
  CHECK(
      error_of(seq.bytes(), {npusim::DType::kInt8, 4, false}) ==
      "m.onnx: input 'tokens': dim 0 is fixed at 1; --batch 4 can only set a dynamic batch dimension (export "
      "the model with a dynamic batch axis or drop --batch)");
  CHECK(error_of(seq.bytes()) ==
        "m.onnx: input 'tokens': dim 1 ('seq_len') is dynamic; expected static shapes: export the model with "
        "fixed input sizes");
}

TEST_CASE("onnx: truncated, empty and non-ONNX bytes are clean errors") {
  ModelBuilder m;
  m.input("x", {1, 4, 8, 8});
  m.weight("w", {4, 4, 1, 1}, 64);  // raw data: a cut inside it cannot parse
  m.node("Conv", {"x", "w"}, {"y"});
  const std::string bytes = m.bytes();
  const std::string parse_failed =
      "m.onnx: expected an ONNX model (a serialized onnx.ModelProto); protobuf parsing failed: the file is "
      "truncated or not ONNX";
  CHECK(error_of(bytes.substr(0, bytes.size() - 40)) == parse_failed);
  CHECK(error_of("\xff\xff\xff\xff garbage") == parse_failed);
  CHECK(error_of("") ==
        "m.onnx: expected an ONNX model with an ir_version and a graph of nodes; this is not an ONNX model "
        "(or an "
        "empty one)");
  CHECK(import(m).ops.size() == 1);
}

TEST_CASE("onnx: shapes that do not agree name the node and what was expected") {
  ModelBuilder m;
  m.input("x", {1, 4, 8, 8});
  m.weight("w", {8, 5, 3, 3});
  m.node("Conv", {"x", "w"}, {"y"}, "conv");
  CHECK(error_of(m.bytes()) ==
        "m.onnx: node 'conv' (Conv): expected weight [8, 5, 3, 3] to take input channels / group = 4 / 1 per "
        "filter");

  ModelBuilder g;
  g.input("x", {2, 16});
  g.weight("w", {15, 4});
  g.node("Gemm", {"x", "w"}, {"y"}, "fc");
  CHECK(error_of(g.bytes()) == "m.onnx: node 'fc' (Gemm): expected A's K (16) to equal B's K (15)");

  ModelBuilder r;
  r.input("x", {2, 16});
  r.ints("shape", {3, -1});
  r.node("Reshape", {"x", "shape"}, {"y"}, "reshape");
  r.weight("w", {1, 4});
  r.node("MatMul", {"y", "w"}, {"z"});
  CHECK(error_of(r.bytes()) == "m.onnx: node 'reshape' (Reshape): cannot reshape [2, 16] to [3, -1]");

  ModelBuilder order;
  order.input("x", {1, 8});
  order.weight("w", {8, 8});
  order.node("MatMul", {"later", "w"}, {"y"}, "first");
  order.node("Relu", {"x"}, {"later"});
  CHECK(
      error_of(order.bytes()) ==
      "m.onnx: node 'first' (MatMul): input 'later' is not produced by an earlier node, a graph input or an "
      "initializer (expected nodes in topological order)");
}

#endif  // NPUSIM_HAVE_ONNX
