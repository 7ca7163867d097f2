#include "sim/run/workload_loader.h"

#include <filesystem>

#include "arch/spec/input_error.h"
#include "workloads/importers/onnx_model.h"
#include "workloads/importers/scalesim_topology.h"
#include "workloads/importers/trace_json.h"
#include "workloads/workload_spec.h"
#include "workloads/zoo/effective_seq.h"
#include "workloads/zoo/model_zoo.h"

namespace npusim {
namespace {

bool has_extension(const std::string& spec, const char* extension) {
  return std::filesystem::path(spec).extension() == extension;
}

Workload load_file_workload(const WorkloadRequest& request, DType dtype) {
  const std::string& path = request.spec;
  if (!std::filesystem::exists(path)) throw InputError(path, "", "workload file not found");
  Workload workload;
  if (has_extension(path, ".csv")) {
    workload = load_scalesim_topology(path, dtype);
  } else if (has_extension(path, ".json")) {
    workload = load_trace_json(path, TraceImportOptions{dtype});
  } else if (has_extension(path, ".onnx")) {
    // --batch sets a symbolic batch dimension; the graph's static shapes are not rewritten.
    return load_onnx_model(path, OnnxImportOptions{dtype, request.batch, request.allow_unsupported});
  } else {
    throw InputError(path, "",
                     "unsupported workload file type; expected a SCALE-Sim topology .csv, an npusim op trace "
                     ".json or an ONNX model .onnx");
  }
  // Topologies and traces carry per-layer batches; --batch replaces every layer's batch.
  if (request.batch > 0) {
    for (auto& op : workload.ops) op.batch = request.batch;
  }
  return workload;
}

}  // namespace

Workload load_workload(const WorkloadRequest& request, DType default_dtype) {
  const DType dtype = request.dtype.value_or(default_dtype);
  const bool is_file = request.spec.find('/') != std::string::npos || has_extension(request.spec, ".csv") ||
                       has_extension(request.spec, ".json") || has_extension(request.spec, ".onnx");
  if (is_file && !request.seq_dist.empty()) {
    throw InputError("<cli>", "--seq-dist", "applies to zoo encoders (bert-base, bert-large), not " + request.spec);
  }
  if (is_file) return load_file_workload(request, dtype);
  WorkloadSpec spec = parse_workload_spec(request.spec);
  if (request.batch > 0) spec.params["batch"] = std::to_string(request.batch);
  if (request.seq_dist.empty()) return build_zoo_workload(spec, dtype);
  const TokenDistribution distribution = parse_token_distribution(request.seq_dist, "--seq-dist");
  const EffectiveSeq effective = apply_effective_seq(spec, distribution, "<cli>", "--seq-dist");
  Workload workload = build_zoo_workload(spec, dtype);
  workload.notes.push_back(effective.note());
  return workload;
}

}  // namespace npusim
