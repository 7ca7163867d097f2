#include "arch/core/clock_domain.h"

#include <cmath>
#include <stdexcept>
#include <string>

namespace npusim {

ClockDomain::ClockDomain(double freq_mhz) : freq_mhz_(freq_mhz), period_units_(1) {
  if (!(freq_mhz > 0.0) || !std::isfinite(freq_mhz))
    throw std::invalid_argument("clock_mhz must be positive");
  const double resolution_s = sc_core::sc_get_time_resolution().to_seconds();
  const double period_s = 1e-6 / freq_mhz;
  const double units = std::round(period_s / resolution_s);
  period_units_ = units < 1.0 ? 1 : static_cast<uint64_t>(units);
}

sc_core::sc_time ClockDomain::delay(Cycles cycles) const {
  uint64_t units = 0;
  if (__builtin_mul_overflow(cycles, period_units_, &units) ||
      __builtin_add_overflow(units, sc_core::sc_time_stamp().value(), &units)) {
    throw std::overflow_error("simulated time past SystemC's 64-bit limit (" + std::to_string(cycles) +
                              " cycles from now)");
  }
  return sc_core::sc_time::from_value(cycles * period_units_);
}

}  // namespace npusim
