// Expands a sweep spec into design points (see sweep_spec.h for the spec itself) and the config
// lookups and ids that points are compared by.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/sweep/sweep_spec.h"

namespace npusim {

struct SweepExpansion {
  std::vector<SweepPoint> points;
  size_t filtered = 0;  // dropped by constraints
};

// Expands the product, resolves every point's config (so a bad path or a wrongly typed value is an
// error before anything runs), applies constraints and computes ids. Throws InputError naming the
// spec file and field. `pass_gpu`: include --gpu in the requests (the build's `npusim run` has it).
SweepExpansion expand_sweep(const SweepSpec& spec, bool pass_gpu);

// Resolves a request's NPU config (base, overrides) to its JSON form with every default filled in.
nlohmann::json resolve_point_config(const PointRequest& request);

// The value at "npu.a.b" in a resolved config (whose root is the npu object); null when absent.
const nlohmann::json* config_field(const nlohmann::json& resolved_config, const std::string& path);

// 16 hex digits of FNV-1a over the canonical JSON of the resolved config and run options.
std::string point_id(const nlohmann::json& resolved_config, const PointRequest& request);

}  // namespace npusim
