// Scratchpad port arithmetic.
#include <doctest/doctest.h>

#include "arch/timing/sram_timing.h"

using namespace npusim;

TEST_CASE("sram port width and array tile traffic in bytes") {
  SramConfig sram;
  sram.banks = 16;
  sram.bank_width_bytes = 64;
  CHECK(sram_port_bytes_per_cycle(sram) == 1024);
  // 32x32 weight-stationary, M=64 N=32 K=32, fp16 (2 bytes):
  // ifmap M*K*ceil(N/32) = 2048 words, filter K*N = 1024, ofmap M*N*ceil(K/32) = 2048 words.
  const SramBytes bytes = array_tile_sram_bytes(ArrayShape{32, 32}, Dataflow::kWeightStationary,
                                                GemmShape{64, 32, 32}, DType::kFp16);
  CHECK(bytes.read == (2048 + 1024) * 2);
  CHECK(bytes.write == 2048 * 2);
  CHECK(bytes.total() == 10240);
}

TEST_CASE("sram stretch: a unit ends when both its compute and its port traffic are done") {
  // Compute 50 cycles from 100 ends at 150; SRAM done at 140 does not stretch it.
  CHECK(stretch_for_sram(100, 50, 140).end == 150);
  CHECK(stretch_for_sram(100, 50, 140).conflict_cycles == 0);
  // SRAM done at 170: 20 cycles of port conflict.
  CHECK(stretch_for_sram(100, 50, 170).end == 170);
  CHECK(stretch_for_sram(100, 50, 170).conflict_cycles == 20);
}
