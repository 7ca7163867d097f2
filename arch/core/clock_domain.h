// ClockDomain: integer cycles are the source of truth; SystemC time is cycles * an integer period.
// The period is 1e9 / clock_mhz femtoseconds rounded to the kernel's time resolution (1 fs, set by
// simulate_npu), so every wake-up lands exactly on a cycle and now() converts back exactly.
#pragma once

#include <cstdint>
#include <systemc>

#include "arch/spec/units.h"

namespace npusim {

class ClockDomain {
 public:
  // Call after the kernel's time resolution is fixed (sc_set_time_resolution).
  explicit ClockDomain(double freq_mhz);

  Cycles now() const { return sc_core::sc_time_stamp().value() / period_units_; }
  // Throws std::overflow_error past SystemC's 64-bit time (about 5 hours of 1 GHz cycles at 1 fs).
  sc_core::sc_time delay(Cycles cycles) const;
  uint64_t period_units() const { return period_units_; }  // resolution units per cycle
  double freq_mhz() const { return freq_mhz_; }

 private:
  double freq_mhz_;
  uint64_t period_units_;
};

}  // namespace npusim
