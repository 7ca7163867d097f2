#include "arch/timing/bandwidth_server.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace npusim {
namespace {

uint64_t checked_mul(uint64_t a, uint64_t b) {
  uint64_t out = 0;
  if (__builtin_mul_overflow(a, b, &out)) throw std::overflow_error("BandwidthServer: time overflow");
  return out;
}

uint64_t checked_add(uint64_t a, uint64_t b) {
  uint64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) throw std::overflow_error("BandwidthServer: time overflow");
  return out;
}

ByteRate reduced(uint64_t bytes, uint64_t cycles) {
  const uint64_t g = std::gcd(bytes, cycles);
  return {bytes / g, cycles / g};
}

}  // namespace

ByteRate byte_rate_from_double(double bytes_per_cycle, uint64_t max_cycles) {
  if (!std::isfinite(bytes_per_cycle) || bytes_per_cycle <= 0.0 || max_cycles == 0) {
    throw std::invalid_argument("bandwidth must be a positive number of bytes per cycle, got " +
                                std::to_string(bytes_per_cycle));
  }
  // Convergents p/q of the continued fraction of x, stopping before q exceeds max_cycles.
  double x = bytes_per_cycle;
  uint64_t p_prev = 1, q_prev = 0;
  auto a = static_cast<uint64_t>(std::floor(x));
  uint64_t p = a, q = 1;
  for (int i = 0; i < 64; ++i) {
    const double frac = x - std::floor(x);
    if (frac < 1e-12) break;
    x = 1.0 / frac;
    a = static_cast<uint64_t>(std::floor(x));
    const uint64_t q_next = a * q + q_prev;
    if (q_next > max_cycles) break;
    const uint64_t p_next = a * p + p_prev;
    p_prev = p;
    q_prev = q;
    p = p_next;
    q = q_next;
    if (std::fabs(static_cast<double>(p) / static_cast<double>(q) - bytes_per_cycle) <
        1e-12 * bytes_per_cycle) {
      break;
    }
  }
  if (p == 0) {  // slower than one byte per max_cycles: round up to that
    p = 1;
    q = max_cycles;
  }
  return reduced(p, q);
}

ByteRate divide_rate(ByteRate rate, uint64_t divisor) {
  if (divisor == 0) throw std::invalid_argument("divide_rate: divisor 0");
  return reduced(rate.bytes, checked_mul(rate.cycles, divisor));
}

double bytes_per_cycle(ByteRate rate) {
  return static_cast<double>(rate.bytes) / static_cast<double>(rate.cycles);
}

BandwidthServer::BandwidthServer(ByteRate rate, Cycles latency_cycles)
    : rate_(rate), latency_cycles_(latency_cycles) {
  if (rate.bytes == 0 || rate.cycles == 0) throw std::invalid_argument("BandwidthServer: zero rate");
  rate_ = reduced(rate.bytes, rate.cycles);
}

BandwidthServer::BandwidthServer(uint64_t bytes_per_cycle_value, Cycles latency_cycles)
    : BandwidthServer(ByteRate{bytes_per_cycle_value, 1}, latency_cycles) {}

Reservation BandwidthServer::reserve(Cycles now, Bytes bytes) {
  if (bytes == 0) return {now, now, now};
  const uint64_t start_ticks = std::max(checked_mul(now, rate_.bytes), busy_until_ticks_);
  busy_until_ticks_ = checked_add(start_ticks, checked_mul(bytes, rate_.cycles));
  bytes_served_ += bytes;
  ++reservations_;
  const Cycles start = start_ticks / rate_.bytes;
  const Cycles end = ceil_div(busy_until_ticks_, rate_.bytes);
  return {start, end, end + latency_cycles_};
}

Cycles BandwidthServer::busy_until() const { return ceil_div(busy_until_ticks_, rate_.bytes); }

Cycles BandwidthServer::busy_cycles() const {
  return ceil_div(checked_mul(bytes_served_, rate_.cycles), rate_.bytes);
}

}  // namespace npusim
