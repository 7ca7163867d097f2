// JSON <-> NpuConfig: the only place NPU config JSON is interpreted.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "arch/spec/npu_config.h"

namespace npusim {

// Validates every field (unknown keys, types, ranges) and names file and dotted path on error.
NpuConfig parse_npu_config(const nlohmann::json& document, const std::string& file);

// The fully resolved config, defaults filled in, as written into result.json.
nlohmann::json npu_config_to_json(const NpuConfig& config);

}  // namespace npusim
