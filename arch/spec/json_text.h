// Parses JSON text with the position of the first error: "FILE: line L, column C: expected valid JSON
// (why)", also for numbers too large for a double (which nlohmann's parse() reports without one).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace npusim {

nlohmann::json parse_json_text(const std::string& text, const std::string& file);

}  // namespace npusim
