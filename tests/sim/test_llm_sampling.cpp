// LLM mode's decode sampling and interpolation (pure functions; no simulation).
#include <doctest/doctest.h>

#include <vector>

#include "sim/run/llm_run.h"

using npusim::interpolate_step_times;
using npusim::sampled_decode_steps;

TEST_CASE("llm sampling: evenly spread decode steps, first and last included") {
  // 128 steps, 8 samples: round(k * 127 / 7) = 0, 18.1, 36.3, 54.4, 72.6, 90.7, 108.9, 127.
  CHECK(sampled_decode_steps(128, 8) == std::vector<uint64_t>{0, 18, 36, 54, 73, 91, 109, 127});
  CHECK(sampled_decode_steps(5, 8) == std::vector<uint64_t>{0, 1, 2, 3, 4});  // fewer steps than samples
  CHECK(sampled_decode_steps(5, 0) == std::vector<uint64_t>{0, 1, 2, 3, 4});  // 0: every step
  CHECK(sampled_decode_steps(9, 1) == std::vector<uint64_t>{0, 8});  // 1 is taken as 2: both ends
  CHECK(sampled_decode_steps(9, 2) == std::vector<uint64_t>{0, 8});
}

TEST_CASE("llm sampling: step times are linear in the cache length between samples") {
  // Samples at steps 0 and 4 (1.0 s, 2.0 s) and 6 (4.0 s): steps 1..3 at 1.25, 1.5, 1.75; step 5 at 3.0.
  const std::vector<double> times = interpolate_step_times(7, {0, 4, 6}, {1.0, 2.0, 4.0});
  CHECK(times == std::vector<double>{1.0, 1.25, 1.5, 1.75, 2.0, 3.0, 4.0});
  // A single sample stands for every step.
  CHECK(interpolate_step_times(3, {0}, {0.5}) == std::vector<double>{0.5, 0.5, 0.5});
}
