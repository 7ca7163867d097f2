#include "sim/run/workload_loader.h"

#include <filesystem>

#include "sim/core/input_error.h"
#include "workloads/importers/scalesim_topology.h"
#include "workloads/workload_spec.h"
#include "workloads/zoo/model_zoo.h"

namespace npusim {
namespace {

bool has_extension(const std::string& spec, const char* extension) {
  return std::filesystem::path(spec).extension() == extension;
}

Workload load_file_workload(const WorkloadRequest& request, DType dtype) {
  const std::string& path = request.spec;
  if (!std::filesystem::exists(path)) throw InputError(path, "", "workload file not found");
  if (!has_extension(path, ".csv")) {
    throw InputError(path, "",
                     "unsupported workload file type; expected a SCALE-Sim topology .csv "
                     "(npusim trace .json and .onnx import are not implemented yet)");
  }
  Workload workload = load_scalesim_topology(path, dtype);
  // SCALE-Sim topologies describe one image; --batch replicates every layer's batch.
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
  if (is_file) return load_file_workload(request, dtype);
  WorkloadSpec spec = parse_workload_spec(request.spec);
  if (request.batch > 0) spec.params["batch"] = std::to_string(request.batch);
  return build_zoo_workload(spec, dtype);
}

}  // namespace npusim
