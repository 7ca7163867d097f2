// result.json must never hold null for a metric: nlohmann writes NaN and infinity as null, so a
// non-finite number reaching a writer is a bug upstream (inputs are range-checked where they enter)
// and must fail loudly rather than be written.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace npusim {

// The dotted path of the first non-finite number in json ("totals.energy_j", "layers[3].cycles"), or "".
std::string first_non_finite_number(const nlohmann::ordered_json& json);

// Throws std::logic_error (exit 3: an internal error) naming what and the path when json holds one.
void require_finite_numbers(const nlohmann::ordered_json& json, const std::string& what);

}  // namespace npusim
