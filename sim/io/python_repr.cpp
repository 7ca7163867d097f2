#include "sim/io/python_repr.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace npusim {

std::string python_float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  if (value == 0.0) return std::signbit(value) ? "-0.0" : "0.0";
  // Shortest round-trip digits, as CPython's repr (David Gay's algorithm, mode 0) finds them.
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  const std::string text(buffer, result.ptr);
  const size_t e = text.find('e');
  std::string digits;
  for (size_t i = 0; i < e; ++i) {
    if (text[i] >= '0' && text[i] <= '9') digits += text[i];
  }
  const int exponent = std::atoi(text.c_str() + e + 1);
  const std::string sign = value < 0 ? "-" : "";
  const int point = exponent + 1;   // digits are 0.DIGITS * 10^point
  if (point > -4 && point <= 16) {  // float_repr_style 'short', type 'r'
    std::string out;
    if (point <= 0) {
      out = "0." + std::string(static_cast<size_t>(-point), '0') + digits;
    } else if (static_cast<size_t>(point) >= digits.size()) {
      out = digits + std::string(static_cast<size_t>(point) - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, static_cast<size_t>(point)) + "." + digits.substr(static_cast<size_t>(point));
    }
    return sign + out;
  }
  std::string mantissa = digits.substr(0, 1);
  if (digits.size() > 1) mantissa += "." + digits.substr(1);
  const int shown = point - 1;
  std::string exp_digits = std::to_string(std::abs(shown));
  if (exp_digits.size() < 2) exp_digits = "0" + exp_digits;
  return sign + mantissa + "e" + (shown < 0 ? "-" : "+") + exp_digits;
}

}  // namespace npusim
