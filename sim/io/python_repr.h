// Numbers printed exactly as Python's str() prints them, so files npusim writes for Python tools
// (SCALE-Sim's reports) match byte for byte.
#pragma once

#include <string>

namespace npusim {

// repr(float): the shortest digits that round-trip; positional when the decimal exponent is in
// [-4, 16), else d.ddde+XX (at least two exponent digits); integral values keep ".0".
std::string python_float_repr(double value);

}  // namespace npusim
