// BandwidthServer: a shared port or channel modelled as a FIFO reservation, not a process.
// A reservation books `bytes` at the server's rate from max(now, busy_until) and returns when the
// last byte is through, plus the server's fixed latency. Rates are exact fractions so that
// fractional bytes/cycle (e.g. 34 GB/s at 1.2 GHz = 85/3 B/cycle) accumulate without drift.
#pragma once

#include <cstdint>

#include "arch/spec/units.h"

namespace npusim {

// `bytes` every `cycles` cycles, kept as a reduced fraction.
struct ByteRate {
  uint64_t bytes = 1;
  uint64_t cycles = 1;
};

// Best rational approximation with a denominator <= max_cycles (continued fractions); throws
// std::invalid_argument for a non-positive or non-finite rate.
ByteRate byte_rate_from_double(double bytes_per_cycle, uint64_t max_cycles = 4096);
// rate / divisor, reduced (splitting a bandwidth over channels).
ByteRate divide_rate(ByteRate rate, uint64_t divisor);
double bytes_per_cycle(ByteRate rate);

struct Reservation {
  Cycles start = 0;  // cycle the first byte is served (floor of a sub-cycle start)
  Cycles end = 0;    // cycle the last byte is through (ceil)
  Cycles done = 0;   // end + latency: when the requester sees completion
};

class BandwidthServer {
 public:
  BandwidthServer(ByteRate rate, Cycles latency_cycles);
  BandwidthServer(uint64_t bytes_per_cycle, Cycles latency_cycles);

  // Books `bytes` no earlier than `now`. Closed form for an idle server and an integer rate R:
  // start = now, end = now + ceil(bytes / R), done = end + latency. Back-to-back reservations pack
  // at sub-cycle granularity: k reservations of B bytes made at 0 end at ceil(k*B / R).
  // A zero-byte reservation returns {now, now, now} and books nothing.
  Reservation reserve(Cycles now, Bytes bytes);

  // First cycle at which the server has no booked bytes left (ceil).
  Cycles busy_until() const;
  // Cycles spent serving bytes so far (bytes / rate, exact fraction rounded up).
  Cycles busy_cycles() const;
  Bytes bytes_served() const { return bytes_served_; }
  uint64_t reservations() const { return reservations_; }
  ByteRate rate() const { return rate_; }
  Cycles latency_cycles() const { return latency_cycles_; }

 private:
  // Time is counted in ticks: one cycle = rate_.bytes ticks, one byte = rate_.cycles ticks.
  ByteRate rate_;
  Cycles latency_cycles_;
  uint64_t busy_until_ticks_ = 0;
  Bytes bytes_served_ = 0;
  uint64_t reservations_ = 0;
};

}  // namespace npusim
