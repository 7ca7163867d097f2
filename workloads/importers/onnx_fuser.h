// The fusion pass's matcher (onnx_fusion.cpp: graph indexing and constants; onnx_fusion_patterns.cpp:
// one matcher per pattern). Internal to the ONNX importer.
#pragma once

#ifdef NPUSIM_HAVE_ONNX

#include <onnx/onnx_pb.h>

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "workloads/importers/onnx_internal.h"

namespace npusim::onnx_detail {

using NodeList = std::vector<onnx::NodeProto>;

class Fuser {
 public:
  Fuser(onnx::GraphProto& graph, int64_t opset) : graph_(graph), opset_(opset) {
    for (const auto& init : graph.initializer()) initializers_[init.name()] = &init;
    for (const auto& output : graph.output()) outputs_.insert(output.name());
    nodes_.assign(graph.node().begin(), graph.node().end());
    live_.assign(nodes_.size(), true);
    index();
  }

  std::vector<std::string> run();

 private:
  using Matcher = bool (Fuser::*)(int);
  void index();
  int producer(const std::string& tensor) const;
  bool single_use(const std::string& tensor) const;
  int only_consumer(const std::string& tensor, const char* op_type) const;
  std::optional<std::vector<double>> constant(const std::string& tensor) const;
  bool is_scalar(const std::string& tensor, double value) const;
  bool is_op(int node, const char* op_type) const { return node >= 0 && nodes_[node].op_type() == op_type; }
  // The operand of a two-input node other than `tensor` (empty when `tensor` is not an operand).
  std::string other(int node, const std::string& tensor) const;
  std::optional<std::vector<int64_t>> reduce_axes(int node) const;
  // Retires `dead` and puts the fused node at `at` (one of them, the last in order); returns it.
  onnx::NodeProto& replace(const std::vector<int>& dead, int at, const std::string& op_type, const std::vector<std::string>& inputs,
               const std::string& output, const char* fusion);

  bool hard_sigmoid(int i);
  bool swish(int i);
  bool gelu(int i);
  bool layernorm(int i);
  bool softmax(int i);
  bool matmul_bias(int i);

  onnx::GraphProto& graph_;
  int64_t opset_;
  NodeList nodes_;
  std::vector<bool> live_;
  std::map<std::string, const onnx::TensorProto*> initializers_;
  std::set<std::string> outputs_;
  std::map<std::string, int> producer_;
  std::map<std::string, std::vector<int>> consumers_;
  std::map<std::string, int> applied_;
};

}  // namespace npusim::onnx_detail

#endif  // NPUSIM_HAVE_ONNX
