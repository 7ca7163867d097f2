// The JSON Schema (draft 2020-12) of the npusim op trace, generated from the same field lists the reader
// and writer use (trace_schema.h); traces/npusim-trace.schema.json is its committed copy, checked
// against this by a unit test and rewritten by `npusim export-trace --schema`.
#pragma once

#include <nlohmann/json.hpp>

namespace npusim {

nlohmann::ordered_json trace_json_schema();

}  // namespace npusim
