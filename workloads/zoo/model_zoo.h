// The built-in workloads a user can name on the command line: public CNNs, transformers and single operators.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "arch/spec/dtype.h"
#include "workloads/ir/operator.h"
#include "workloads/workload_spec.h"
#include "workloads/zoo/transformer_builder.h"

namespace npusim {

struct ZooEntry {
  std::string name;
  std::string description;  // one line, including the parameters it accepts
};

// In a fixed order, for --list output and error messages.
const std::vector<ZooEntry>& zoo_entries();
bool is_zoo_workload(const std::string& name);
// Every entry accepts batch (default 1) and dtype (default default_dtype); unknown names and keys throw
// InputError listing the known ones.
Workload build_zoo_workload(const WorkloadSpec& spec, DType default_dtype);
// The shape a Llama-family spec (llama*, mixtral, qwen3 MoE) states, its keys applied and checked; nullopt
// for other workloads. Parallel plans shard these.
std::optional<TransformerDims> zoo_decoder_dims(const WorkloadSpec& spec);

}  // namespace npusim
