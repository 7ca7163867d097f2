// BandwidthServer: FIFO reservations with exact fractional rates, checked against closed forms.
#include <doctest/doctest.h>

#include <stdexcept>

#include "arch/timing/bandwidth_server.h"

using namespace npusim;

TEST_CASE("bandwidth server: idle, busy and gap closed forms") {
  BandwidthServer server(64, 10);  // 64 B/cycle, 10 cycles latency
  // Idle: start = now, end = now + ceil(640 / 64) = 110, done = end + 10.
  Reservation first = server.reserve(100, 640);
  CHECK(first.start == 100);
  CHECK(first.end == 110);
  CHECK(first.done == 120);
  // Queued behind the first: starts at 110, 64 bytes take 1 cycle.
  Reservation second = server.reserve(100, 64);
  CHECK(second.start == 110);
  CHECK(second.end == 111);
  CHECK(second.done == 121);
  CHECK(server.busy_until() == 111);
  // After an idle gap the server starts at `now` again: 1 byte still takes ceil(1/64) = 1 cycle.
  Reservation third = server.reserve(200, 1);
  CHECK(third.start == 200);
  CHECK(third.end == 201);
  CHECK(server.bytes_served() == 705);
  CHECK(server.reservations() == 3);
  // Busy cycles are bytes / rate: ceil(705 / 64) = 12.
  CHECK(server.busy_cycles() == 12);
}

TEST_CASE("bandwidth server: back-to-back reservations pack at sub-cycle granularity") {
  BandwidthServer server(64, 0);
  // k reservations of 10 bytes made at cycle 0 end at ceil(10k / 64): 1, 1, 1, ..., the 7th at 2.
  for (int k = 1; k <= 6; ++k) CHECK(server.reserve(0, 10).end == 1);
  CHECK(server.reserve(0, 10).end == 2);  // 70 bytes
}

TEST_CASE("bandwidth server: zero bytes book nothing") {
  BandwidthServer server(16, 5);
  Reservation none = server.reserve(42, 0);
  CHECK(none.start == 42);
  CHECK(none.end == 42);
  CHECK(none.done == 42);
  CHECK(server.busy_until() == 0);
  CHECK(server.reservations() == 0);
}

TEST_CASE("bandwidth server: fractional rates accumulate without drift") {
  // 34 GB/s at 1.2 GHz = 34000 / 1200 = 85/3 B/cycle.
  const ByteRate rate = byte_rate_from_double(34000.0 / 1200.0);
  CHECK(rate.bytes == 85);
  CHECK(rate.cycles == 3);
  BandwidthServer server(rate, 0);
  // 85 bytes take 3 cycles; ten back-to-back transfers take exactly 30, not 10 * ceil(3.0...).
  for (int i = 1; i <= 10; ++i) CHECK(server.reserve(0, 85).end == static_cast<Cycles>(3 * i));
  // One byte takes 3/85 of a cycle: it ends within the next cycle.
  CHECK(server.reserve(30, 1).end == 31);
}

TEST_CASE("byte rates: rational approximation and division") {
  CHECK(byte_rate_from_double(34.0).bytes == 34);
  CHECK(byte_rate_from_double(34.0).cycles == 1);
  CHECK(byte_rate_from_double(0.5).bytes == 1);
  CHECK(byte_rate_from_double(0.5).cycles == 2);
  // 12.8 = 64/5
  CHECK(byte_rate_from_double(12.8).bytes == 64);
  CHECK(byte_rate_from_double(12.8).cycles == 5);
  const ByteRate half = divide_rate(ByteRate{85, 3}, 2);  // 85/6
  CHECK(half.bytes == 85);
  CHECK(half.cycles == 6);
  const ByteRate even = divide_rate(ByteRate{34, 1}, 2);  // 17/1
  CHECK(even.bytes == 17);
  CHECK(even.cycles == 1);
  CHECK(bytes_per_cycle(ByteRate{85, 3}) == doctest::Approx(28.3333333));
  CHECK_THROWS_AS(byte_rate_from_double(0.0), std::invalid_argument);
  CHECK_THROWS_AS(byte_rate_from_double(-3.0), std::invalid_argument);
}
