// Integer units of simulated time and data; seconds and watts appear only at report time.
#pragma once

#include <cstdint>

namespace npusim {

using Cycles = uint64_t;
using Bytes = uint64_t;

constexpr uint64_t ceil_div(uint64_t numerator, uint64_t denominator) {
  return (numerator + denominator - 1) / denominator;
}

constexpr Bytes kKiB = 1024;
constexpr Bytes kMiB = 1024 * 1024;

}  // namespace npusim
