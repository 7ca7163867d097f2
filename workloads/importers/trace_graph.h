// The operator graph of an imported trace: input references (names or indices) resolved, and the
// operators put in dependency order.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "workloads/ir/operator.h"

namespace npusim {

// An operator as read from the trace, its inputs still as written (names or indices).
struct ParsedTraceOperator {
  Operator op;
  std::vector<const nlohmann::json*> input_refs;  // into the parsed document
};

// Resolves each operator's input references to indices; returns the inputs per operator. A name that
// no operator or several operators have, or an index out of range, is an InputError.
std::vector<std::vector<uint32_t>> resolve_trace_inputs(const std::vector<ParsedTraceOperator>& parsed,
                                                        const std::string& file);

// A stable topological order (Kahn's algorithm, lowest index first): an order that already respects the
// dependencies comes back unchanged. A cycle is an error naming its operators.
std::vector<size_t> trace_dependency_order(const std::vector<std::vector<uint32_t>>& inputs,
                                           const std::vector<ParsedTraceOperator>& parsed,
                                           const std::string& file);

}  // namespace npusim
