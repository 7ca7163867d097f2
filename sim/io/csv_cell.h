// One CSV cell from a JSON value (RFC 4180 quoting): shared by layers.csv, results.csv and pareto.csv.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace npusim {

// null -> empty; numbers and booleans as JSON prints them; strings quoted when they hold , " or newline.
std::string csv_cell_text(const nlohmann::ordered_json& value);

}  // namespace npusim
