// Turns a --workload argument into IR: a zoo name with parameters, or a file by its extension.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "arch/spec/dtype.h"
#include "workloads/ir/operator.h"

namespace npusim {

struct WorkloadRequest {
  std::string spec;              // "resnet50", "gemm:m=64,n=64,k=64", "net.csv", "t.json", "m.onnx"
  uint32_t batch = 0;            // 0: the workload's own default
  std::optional<DType> dtype;    // unset: the NPU's default data type
  bool allow_unsupported = false;  // ONNX: skip unsupported operators with a warning instead of failing
  std::string seq_dist{};          // encoders: DIST of real sequence lengths, run unpadded; empty: padded
};

Workload load_workload(const WorkloadRequest& request, DType default_dtype);

}  // namespace npusim
