// Vector-unit arithmetic.
#include <doctest/doctest.h>

#include "arch/timing/vector_timing.h"

using namespace npusim;

TEST_CASE("vector op cycles: latency + ceil(elements * ops / lanes)") {
  VectorConfig vector;
  vector.lanes = 64;
  vector.latency_cycles = 8;
  // 1000 elements * 2 ops = 2000 ops; 2000 / 64 = 31.25 -> 32; + 8.
  CHECK(vector_op_cycles(vector, 1000, 2) == 40);
  // Exactly one pass: 64 elements * 1 op -> 1 cycle + 8.
  CHECK(vector_op_cycles(vector, 64, 1) == 9);
  // A 3x3 depthwise window: 9 MACs per element; 128 elements -> 1152 / 64 = 18 + 8.
  CHECK(vector_op_cycles(vector, 128, 9) == 26);
  CHECK(vector_ops(128, 9) == 1152);
}
