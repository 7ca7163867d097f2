// LayerBarrier: cores synchronise at layer boundaries. Each core arrives with the cycle its part of the
// layer finished (known at issue: every resource is a reservation); all of them resume together at
// the latest of those cycles, where the next layer starts. One wait per core per layer.
#pragma once

#include <cstdint>
#include <systemc>

#include "arch/core/clock_domain.h"
#include "arch/spec/units.h"

namespace npusim {

class LayerBarrier {
 public:
  LayerBarrier(uint32_t parties, const ClockDomain& clock) : parties_(parties), clock_(clock) {}

  // From a core's thread: returns at the cycle every core has finished (>= end), which it returns.
  Cycles arrive_and_wait(Cycles end);

 private:
  uint32_t parties_;
  const ClockDomain& clock_;
  uint32_t arrived_ = 0;
  Cycles latest_ = 0;
  Cycles release_at_ = 0;
  sc_core::sc_event release_;
};

}  // namespace npusim
