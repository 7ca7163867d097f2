// The physical range every config number must lie in, by unit, unless its declaration states its own:
// a clock of 1e-300 MHz (a division by zero later) or a 2^64-byte SRAM is a typo, not a design point,
// and must be refused where it enters, before anything sizes a table or searches tilings with it.
#pragma once

#include <string>

namespace npusim {

struct UnitLimit {
  double min = 0.0;
  double max = 0.0;
  const char* reason = "";
};

// The limit for fields measured in `unit` ("" = counts), or nullptr for units without one.
const UnitLimit* unit_limit(const std::string& unit);

// "" when value lies within unit_limit(unit) (or unit has none), else "expected MIN to MAX UNIT (why), got V".
std::string unit_limit_problem(const std::string& unit, double value);

}  // namespace npusim
