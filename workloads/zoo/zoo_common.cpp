// Parameters every zoo builder shares: batch, dtype, resolution, and the resulting Workload wrapper.
#include <string>
#include <utility>

#include "workloads/zoo/zoo_builders.h"

namespace npusim {

ZooCommonParams read_common_params(const WorkloadSpec& spec, DType default_dtype,
                                   const std::vector<std::string>& extra_keys) {
  std::vector<std::string> known{"batch", "dtype"};
  known.insert(known.end(), extra_keys.begin(), extra_keys.end());
  reject_unknown_keys(spec, known);
  ZooCommonParams common;
  common.batch = param_positive_u32(spec, "batch", 1);
  common.dtype = param_dtype(spec, "dtype", default_dtype);
  return common;
}

uint32_t read_resolution_px(const WorkloadSpec& spec, uint32_t default_px, uint32_t multiple_px) {
  // Far beyond any published input size; keeps padded extents and per-map element counts from wrapping.
  constexpr uint32_t kMaxResolutionPx = 16384;
  const uint32_t resolution_px = param_positive_u32(spec, "resolution", default_px);
  if (resolution_px % multiple_px != 0 || resolution_px > kMaxResolutionPx) {
    throw_spec_error(spec, "resolution",
                     "expected a multiple of " + std::to_string(multiple_px) +
                         " (the network's total stride) up to " + std::to_string(kMaxResolutionPx) +
                         ", got " + std::to_string(resolution_px));
  }
  return resolution_px;
}

Workload make_zoo_workload(const WorkloadSpec& spec, std::vector<Operator> ops) {
  Workload workload;
  workload.name = spec.name;
  workload.source = "zoo:" + format_workload_spec(spec);
  workload.ops = std::move(ops);
  return workload;
}

}  // namespace npusim
