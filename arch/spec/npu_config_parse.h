// JSON <-> NpuConfig: the only place NPU config JSON is interpreted. Everything here is derived from the
// fields() declarations beside the config structs.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "arch/spec/npu_config.h"

namespace npusim {

// Validates every field (unknown keys, types, ranges) and names file and dotted path on error.
NpuConfig parse_npu_config(const nlohmann::json& document, const std::string& file);

// The fully resolved config, defaults filled in, as written into result.json.
nlohmann::json npu_config_to_json(const NpuConfig& config);

// The first field of a hand-built config outside its declared range ("npu.array.rows: expected a
// positive integer, got 0"), or "" when every field is within range.
std::string npu_config_range_violation(const NpuConfig& config);

// Every field with its type, unit, default, range and description: the README's table.
std::string npu_config_fields_markdown();

}  // namespace npusim
