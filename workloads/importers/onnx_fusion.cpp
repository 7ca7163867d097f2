// Pattern matching over the exported graph; see onnx_fusion.h for the patterns.
#ifdef NPUSIM_HAVE_ONNX

#include "workloads/importers/onnx_fusion.h"

#include <cmath>
#include <set>

#include "workloads/importers/onnx_fuser.h"

namespace npusim::onnx_detail {

void Fuser::index() {
  producer_.clear();
  consumers_.clear();
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (!live_[i]) continue;
    for (const auto& name : nodes_[i].output()) producer_[name] = static_cast<int>(i);
    for (const auto& name : nodes_[i].input()) {
      if (!name.empty()) consumers_[name].push_back(static_cast<int>(i));
    }
  }
}

int Fuser::producer(const std::string& tensor) const {
  const auto it = producer_.find(tensor);
  return it == producer_.end() ? -1 : it->second;
}

bool Fuser::single_use(const std::string& tensor) const {
  const auto it = consumers_.find(tensor);
  return it != consumers_.end() && it->second.size() == 1 && outputs_.count(tensor) == 0;
}

int Fuser::only_consumer(const std::string& tensor, const char* op_type) const {
  if (!single_use(tensor)) return -1;
  const int node = consumers_.at(tensor).front();
  return is_op(node, op_type) ? node : -1;
}

std::optional<std::vector<double>> Fuser::constant(const std::string& tensor) const {
  const onnx::TensorProto* proto = nullptr;
  if (const auto it = initializers_.find(tensor); it != initializers_.end()) proto = it->second;
  const int node = producer(tensor);
  if (is_op(node, "Constant")) {
    if (const auto* value = find_attribute(nodes_[node], "value")) proto = &value->t();
    if (const auto* f = find_attribute(nodes_[node], "value_float")) return std::vector<double>{f->f()};
  }
  if (proto == nullptr) return std::nullopt;
  uint64_t count = 1;
  for (const int64_t d : proto->dims()) count *= static_cast<uint64_t>(std::max<int64_t>(d, 0));
  if (count == 0 || count > kMaxValues) return std::nullopt;
  Tensor values;
  read_values(*proto, count, values);
  if (values.floats) return values.floats;
  if (values.ints) return std::vector<double>(values.ints->begin(), values.ints->end());
  return std::nullopt;
}

bool Fuser::is_scalar(const std::string& tensor, double value) const {
  const auto values = constant(tensor);
  return values && values->size() == 1 && std::fabs((*values)[0] - value) <= 1e-3 * std::fabs(value) + 1e-9;
}

std::string Fuser::other(int node, const std::string& tensor) const {
  const onnx::NodeProto& n = nodes_[static_cast<size_t>(node)];
  if (n.input_size() != 2) return "";
  if (n.input(0) == tensor) return n.input(1);
  if (n.input(1) == tensor) return n.input(0);
  return "";
}

std::optional<std::vector<int64_t>> Fuser::reduce_axes(int node) const {
  const onnx::NodeProto& n = nodes_[static_cast<size_t>(node)];
  if (const auto* axes = find_attribute(n, "axes")) return std::vector<int64_t>(axes->ints().begin(), axes->ints().end());
  if (n.input_size() < 2) return std::nullopt;
  const auto values = constant(n.input(1));
  if (!values) return std::nullopt;
  std::vector<int64_t> axes;
  for (const double v : *values) axes.push_back(static_cast<int64_t>(v));
  return axes;
}

onnx::NodeProto& Fuser::replace(const std::vector<int>& dead, int at, const std::string& op_type,
                    const std::vector<std::string>& inputs, const std::string& output, const char* fusion) {
  onnx::NodeProto fused;
  fused.set_op_type(op_type);
  fused.set_name(nodes_[static_cast<size_t>(dead.front())].name());
  for (const auto& input : inputs) fused.add_input(input);
  fused.add_output(output);
  for (const int node : dead) live_[static_cast<size_t>(node)] = false;
  nodes_[static_cast<size_t>(at)] = std::move(fused);
  live_[static_cast<size_t>(at)] = true;
  ++applied_[fusion];
  index();
  return nodes_[static_cast<size_t>(at)];
}

std::vector<std::string> Fuser::run() {
  static constexpr std::pair<const char*, Matcher> kPasses[] = {
      {"hard_sigmoid", &Fuser::hard_sigmoid}, {"swish", &Fuser::swish},     {"gelu", &Fuser::gelu},
      {"layernorm", &Fuser::layernorm},       {"softmax", &Fuser::softmax}, {"matmul_bias", &Fuser::matmul_bias}};
  for (const auto& [name, match] : kPasses) {
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (live_[i]) (void)(this->*match)(static_cast<int>(i));
    }
  }
  std::vector<std::string> applied;
  for (const char* fusion : {"hard_sigmoid", "hard_swish", "silu", "gelu", "layernorm", "softmax", "matmul_bias"}) {
    const auto it = applied_.find(fusion);
    if (it != applied_.end()) applied.push_back(std::string(fusion) + " x" + std::to_string(it->second));
  }
  if (applied.empty()) return applied;
  graph_.clear_node();
  for (size_t i = 0; i < nodes_.size(); ++i) {
    if (live_[i]) *graph_.add_node() = std::move(nodes_[i]);
  }
  return applied;
}

namespace {

// The matchers index inputs and outputs by position; a graph with a node short of them (a malformed or
// fuzzed file) is left unfused, and the importer's own checks report it by name.
bool well_formed_for_fusion(const onnx::GraphProto& graph) {
  static const std::set<std::string> kBinary = {"Add", "Sub", "Mul", "Div", "Pow", "MatMul"};
  static const std::set<std::string> kUnary = {"Erf",       "Sigmoid",     "Sqrt", "Exp",  "ReduceMax",
                                               "ReduceMean", "ReduceSum",  "Relu", "Clip", "HardSigmoid",
                                               "HardSwish",  "Tanh",       "Softmax"};
  for (const onnx::NodeProto& node : graph.node()) {
    const int inputs = kBinary.count(node.op_type()) > 0 ? 2 : kUnary.count(node.op_type()) > 0 ? 1 : 0;
    if (node.output_size() < 1 || node.input_size() < inputs) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> fuse_exported_subgraphs(onnx::GraphProto& graph, int64_t opset) {
  if (!well_formed_for_fusion(graph)) return {};
  return Fuser(graph, opset).run();
}

}  // namespace npusim::onnx_detail

#endif  // NPUSIM_HAVE_ONNX
