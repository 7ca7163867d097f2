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

namespace {

uint32_t read_extent_px(const WorkloadSpec& spec, const char* key, uint32_t default_px, uint32_t multiple_px) {
  constexpr uint32_t kMaxResolutionPx = 16384;  // as read_resolution_px
  const uint32_t extent_px = param_positive_u32(spec, key, default_px);
  if (extent_px % multiple_px != 0 || extent_px > kMaxResolutionPx) {
    throw_spec_error(spec, key,
                     "expected a multiple of " + std::to_string(multiple_px) +
                         " (the network's total stride) up to " + std::to_string(kMaxResolutionPx) +
                         ", got " + std::to_string(extent_px));
  }
  return extent_px;
}

}  // namespace

InputExtentPx read_input_extent_px(const WorkloadSpec& spec, uint32_t default_px, uint32_t multiple_px) {
  const bool square = spec.params.count("resolution") != 0;
  if (square && (spec.params.count("height") != 0 || spec.params.count("width") != 0)) {
    throw_spec_error(spec, "resolution", "expected either resolution or height and width, not both");
  }
  if (square) {
    const uint32_t side_px = read_resolution_px(spec, default_px, multiple_px);
    return InputExtentPx{side_px, side_px};
  }
  return InputExtentPx{read_extent_px(spec, "height", default_px, multiple_px),
                       read_extent_px(spec, "width", default_px, multiple_px)};
}

Workload make_zoo_workload(const WorkloadSpec& spec, std::vector<Operator> ops) {
  Workload workload;
  workload.name = spec.name;
  workload.source = "zoo:" + format_workload_spec(spec);
  workload.ops = std::move(ops);
  return workload;
}

}  // namespace npusim
