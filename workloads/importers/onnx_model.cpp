// ONNX importer entry point: reads and parses the ModelProto and drives the graph walk (GraphImporter::run).
#include "workloads/importers/onnx_model.h"

#include <filesystem>

#include "arch/spec/input_error.h"
#include "arch/spec/input_file.h"

#ifdef NPUSIM_HAVE_ONNX

#include <google/protobuf/stubs/logging.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "workloads/importers/onnx_fusion.h"
#include "workloads/importers/onnx_internal.h"

namespace npusim::onnx_detail {

Workload GraphImporter::run() {
  add_initializers();
  add_graph_inputs();
  index_graph();
  std::vector<std::pair<std::string, int>> unsupported;  // label, count; in order of first appearance
  std::vector<std::string> labels(static_cast<size_t>(graph_.node_size()));
  for (int i = 0; i < graph_.node_size(); ++i) {
    labels[static_cast<size_t>(i)] = unsupported_label(graph_.node(i));
    if (labels[static_cast<size_t>(i)].empty()) continue;
    auto it = std::find_if(unsupported.begin(), unsupported.end(),
                           [&](const auto& entry) { return entry.first == labels[static_cast<size_t>(i)]; });
    if (it == unsupported.end()) {
      unsupported.emplace_back(labels[static_cast<size_t>(i)], 1);
    } else {
      ++it->second;
    }
  }
  std::string list;
  int total = 0;
  for (const auto& [label, count] : unsupported) {
    list += (list.empty() ? "" : ", ") + label + " x" + std::to_string(count);
    total += count;
  }
  if (!unsupported.empty() && !options_.allow_unsupported) {
    throw InputError(file_, "",
                     "unsupported operators: " + list +
                         "; expected only the operators npusim maps "
                         "(traces/README.md), or --allow-unsupported to skip these with a warning");
  }
  for (int i = 0; i < graph_.node_size(); ++i) {
    const Node& node = graph_.node(i);
    where_ = "node '" + node_label(node, static_cast<size_t>(i)) + "' (" + node.op_type() + ")";
    label_ = node_label(node, static_cast<size_t>(i));
    current_ = &node;
    if (labels[static_cast<size_t>(i)].empty()) {
      import_node(node);
    } else {
      skip_node(node);
    }
  }
  if (ops_.empty()) {
    throw InputError(file_, "", "expected at least one compute operator in the graph, found none");
  }
  Workload workload;
  workload.ops = std::move(ops_);
  if (total > 0) {
    workload.warnings.push_back("skipped " + std::to_string(total) + " unsupported ONNX operator" +
                                (total == 1 ? "" : "s") + " (--allow-unsupported): " + list +
                                "; their cost is not simulated");
  }
  return workload;
}

}  // namespace npusim::onnx_detail

namespace npusim {

using onnx_detail::GraphImporter;

bool onnx_import_available() { return true; }

Workload parse_onnx_model(const std::string& bytes, const std::string& file, const std::string& name,
                          const OnnxImportOptions& options) {
  onnx::ModelProto model;
  {
    google::protobuf::LogSilencer silence;
    if (!model.ParseFromString(bytes)) {
      throw InputError(file, "",
                       "expected an ONNX model (a serialized onnx.ModelProto); protobuf parsing failed: the "
                       "file is truncated or not ONNX");
    }
  }
  if (model.ir_version() <= 0 || !model.has_graph() || model.graph().node_size() == 0) {
    throw InputError(
        file, "",
        "expected an ONNX model with an ir_version and a graph of nodes; this is not an ONNX model "
        "(or an empty one)");
  }
  int64_t opset = 1;
  for (const auto& entry : model.opset_import()) {
    if (entry.domain().empty() || entry.domain() == "ai.onnx") opset = entry.version();
  }
  const std::vector<std::string> fusions = onnx_detail::fuse_exported_subgraphs(*model.mutable_graph(), opset);
  Workload workload = GraphImporter(model.graph(), file, options, opset).run();
  if (!fusions.empty()) {
    std::string list;
    for (const auto& fusion : fusions) list += (list.empty() ? "" : ", ") + fusion;
    workload.notes.push_back("ONNX subgraphs fused as compilers run them (onnx_fusion.h): " + list);
  }
  workload.name = name;
  workload.source = file;
  return workload;
}

}  // namespace npusim

#else  // no ONNX support in this build

namespace npusim {

bool onnx_import_available() { return false; }

Workload parse_onnx_model(const std::string&, const std::string& file, const std::string&,
                          const OnnxImportOptions&) {
  throw InputError(file, "",
                   "this npusim was built without ONNX support; install libonnx-dev and libprotobuf-dev "
                   "(scripts/install-deps.sh) and rebuild");
}

}  // namespace npusim

#endif

namespace npusim {

Workload load_onnx_model(const std::string& path, const OnnxImportOptions& options) {
  return parse_onnx_model(read_input_file(path, "ONNX file"), path, std::filesystem::path(path).stem().string(),
                          options);
}

}  // namespace npusim
