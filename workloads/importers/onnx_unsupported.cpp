// ONNX operators the importer refuses (type, domain, attributes) and how --allow-unsupported skips them.
#ifdef NPUSIM_HAVE_ONNX

#include <algorithm>
#include <set>

#include "workloads/importers/onnx_internal.h"

namespace npusim::onnx_detail {

// Why a node cannot be mapped, from its type and attributes alone; empty when it can.
std::string GraphImporter::unsupported_label(const Node& node) const {
  if (!node.domain().empty() && node.domain() != "ai.onnx") return node.domain() + "." + node.op_type();
  if (!has_handler(node.op_type())) return node.op_type();
  const std::string& type = node.op_type();
  if (type == "Conv" || type == "MaxPool" || type == "AveragePool" || type == "LpPool") {
    if (const auto dilations = attr_ints(node, "dilations")) {
      for (int64_t d : *dilations) {
        if (d != 1) return type + "(dilations>1)";
      }
    }
    const auto kernel = attr_ints(node, "kernel_shape");
    size_t spatial = kernel ? kernel->size() : 0;
    if (type == "Conv" && node.input_size() > 1) {
      const auto weight = tensors_.find(node.input(1));
      if (weight != tensors_.end() && weight->second.dims.size() > 2)
        spatial = weight->second.dims.size() - 2;
    }
    if (spatial > 2) return type + "(3-D)";
  }
  return "";
}

// An unsupported node under --allow-unsupported: its outputs take their value_info shape, or the first
// input's, and carry the inputs' producers so the dependency chain stays intact.
void GraphImporter::skip_node(const Node& node) {
  Tensor passed;
  const Tensor* first = nullptr;
  for (const auto& name : node.input()) {
    const auto it = tensors_.find(name);
    if (it == tensors_.end()) continue;
    if (first == nullptr) first = &it->second;
    for (uint32_t producer : it->second.producers) {
      if (std::find(passed.producers.begin(), passed.producers.end(), producer) == passed.producers.end()) {
        passed.producers.push_back(producer);
      }
    }
  }
  for (const auto& name : node.output()) {
    if (name.empty()) continue;
    Tensor out;
    out.producers = passed.producers;
    out.skipped_by = label_;
    const auto info = value_info_.find(name);
    if (info != value_info_.end()) {
      out.known = true;
      out.dims = info->second;
    } else if (first != nullptr && first->known) {
      out.known = true;
      out.dims = first->dims;
    }
    tensors_[name] = std::move(out);
  }
}

}  // namespace npusim::onnx_detail

#endif  // NPUSIM_HAVE_ONNX
