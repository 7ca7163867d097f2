// The checks on an imported trace operator that its field types cannot express: consistent parameters
// (groups divide channels, kernels fit the padded input, ...) and sizes small enough to simulate.
#pragma once

#include <string>
#include <utility>

#include "workloads/ir/operator.h"

namespace npusim {

// {field, expectation} of the first problem, or an empty field when the operator is fine.
std::pair<std::string, std::string> check_trace_operator(const Operator& op);

}  // namespace npusim
