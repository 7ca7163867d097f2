// ONNX model importer (Debian's libonnx-dev protobuf classes): infers static shapes from the graph inputs
// and initializers and maps the compute operators to the IR; reshapes, transposes, concats and folded
// batch norms are data movement and only rewire dependencies. Mapping table: traces/README.md.
#pragma once

#include <cstdint>
#include <string>

#include "arch/spec/dtype.h"
#include "workloads/ir/operator.h"

namespace npusim {

struct OnnxImportOptions {
  // Every operator runs in this type (the run's --dtype or the NPU's default): an NPU deployment casts
  // or quantizes the model's float weights.
  DType dtype = DType::kInt8;
  uint32_t batch = 0;  // > 0: resolves a symbolic leading (batch) dimension of the graph inputs
  bool allow_unsupported =
      false;  // skip unsupported operators (listed in Workload::warnings) instead of failing
};

// Whether this build has ONNX support (libonnx-dev and libprotobuf-dev found at configure time).
bool onnx_import_available();

// Reads `path` and imports it; the workload is named after the file's stem and its source is `path`.
// Errors are InputError(path, "node 'name' (OpType)" or "input 'x'", expectation): a file that is not a
// valid ONNX model, dynamic dimensions left unresolved (naming the input and dimension), shapes that do
// not agree, and unsupported operators (all of them, by name and count, unless allow_unsupported).
Workload load_onnx_model(const std::string& path, const OnnxImportOptions& options);

// The same from the serialized bytes of a ModelProto; `file` names it in errors and `name` names the
// workload.
Workload parse_onnx_model(const std::string& bytes, const std::string& file, const std::string& name,
                          const OnnxImportOptions& options);

}  // namespace npusim
