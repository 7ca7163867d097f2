// Writes a Workload as an npusim op trace (format: traces/README.md), the inverse of
// workloads/importers/trace_json.h: importing the text gives back an equal Workload.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "workloads/ir/operator.h"

namespace npusim {

// One operator's trace object: name, op, dtype, batch, inputs, the op's shape fields, activation. Every
// field is written, defaults included, so readers need not know them. Inputs are producer names when the
// name is unique in the workload, indices otherwise.
nlohmann::ordered_json operator_to_trace(const Workload& workload, size_t index);

// The whole trace as JSON text: header fields one per line, then one operator (and one request) per
// line, so traces diff well and stay readable at 10,000 operators. `origin` records where the workload
// came from (a zoo spec, a file); empty: the workload's source. Importer warnings (ONNX operators skipped
// by --allow-unsupported) go into "description".
std::string workload_to_trace_text(const Workload& workload, const std::string& origin = "");

}  // namespace npusim
