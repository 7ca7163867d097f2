// DMA and DRAM arithmetic: channel interleaving, isolated transfer time, busy-interval unions.
#include <doctest/doctest.h>

#include <vector>

#include "arch/timing/dma_timing.h"

using namespace npusim;

TEST_CASE("dram config math: bytes per cycle and latency in cycles") {
  NpuConfig config;
  config.clock_mhz = 1000.0;
  config.dram.bandwidth_gbytes_per_s = 34.0;
  config.dram.latency_ns = 100.0;
  CHECK(dram_bytes_per_cycle(config) == doctest::Approx(34.0));  // 34e9 B/s / 1e9 cycles/s
  CHECK(dram_latency_cycles(config) == 100);
  config.clock_mhz = 1200.0;
  CHECK(dram_bytes_per_cycle(config) == doctest::Approx(28.333333));  // 34e9 / 1.2e9
  CHECK(dram_latency_cycles(config) == 120);                          // 100 ns * 1.2 cycles/ns, exact
  config.clock_mhz = 1066.0;
  config.dram.latency_ns = 15.0;
  CHECK(dram_latency_cycles(config) == 16);  // 15.99 cycles round up
}

TEST_CASE("interleave split across DRAM channels") {
  // Aligned, two channels, 256-byte interleave: 1024 bytes = 4 chunks, 2 per channel.
  CHECK(interleave_split(0, 1024, 256, 2) == std::vector<Bytes>{512, 512});
  // Address 100, 1000 bytes: chunk 0 gets 156 (ch0), chunks 1-3 256 each (ch1, ch0, ch1),
  // chunk 4 the last 76 (ch0): ch0 = 156 + 256 + 76 = 488, ch1 = 512.
  CHECK(interleave_split(100, 1000, 256, 2) == std::vector<Bytes>{488, 512});
  // Less than a chunk touches one channel.
  CHECK(interleave_split(0, 100, 256, 4) == std::vector<Bytes>{100, 0, 0, 0});
  // Address 300 (chunk 1, 212 bytes left in it), 1024 bytes: ch1 212, chunks 2,3,4 -> ch2, ch3, ch0,
  // the last 44 bytes in chunk 5 -> ch1: every channel gets 256.
  CHECK(interleave_split(300, 1024, 256, 4) == std::vector<Bytes>{256, 256, 256, 256});
  // Many rounds: 10 chunks over 4 channels from chunk 0: 3, 3, 2, 2 chunks.
  CHECK(interleave_split(0, 2560, 256, 4) == std::vector<Bytes>{768, 768, 512, 512});
  CHECK(interleave_split(0, 0, 256, 2) == std::vector<Bytes>{0, 0});
}

TEST_CASE("isolated DMA transfer: setup + slowest resource + latency") {
  NpuConfig config;  // 1 GHz, 34 GB/s over 2 channels (17 B/cycle each), 100 ns, setup 16, port 64 B/cycle
  // 4096 bytes from address 0: 2048 per channel, ceil(2048 / 17) = 121 cycles on each channel.
  // Port: ceil(4096 / 64) = 64; SRAM: ceil(4096 / 1024) + 2 = 6. DRAM dominates: 16 + 121 + 100.
  CHECK(isolated_dma_cycles(config, 4096) == 237);
  // One channel at 32 B/cycle: 16 + 4096 / 32 + 100 = 244.
  config.dram.channels = 1;
  config.dram.bandwidth_gbytes_per_s = 32.0;
  CHECK(isolated_dma_cycles(config, 4096) == 244);
  // A fast DRAM leaves the 64 B/cycle engine port as the bottleneck: 16 + 4096 / 64 = 80, and the
  // DRAM path (16 + 4096 / 1000 -> 5 + 100 = 121) still ends later because of its latency.
  config.dram.bandwidth_gbytes_per_s = 1000.0;
  CHECK(isolated_dma_cycles(config, 4096) == 121);
  config.dram.latency_ns = 0.0;
  CHECK(isolated_dma_cycles(config, 4096) == 80);
}

TEST_CASE("union of busy intervals") {
  CHECK(union_cycles({}) == 0);
  // [0,10) and [5,15) overlap into [0,15); [20,25) adds 5.
  CHECK(union_cycles({{20, 25}, {0, 10}, {5, 15}}) == 20);
  // Nested intervals count once.
  CHECK(union_cycles({{0, 100}, {10, 20}}) == 100);
  // Touching intervals do not double count.
  CHECK(union_cycles({{0, 10}, {10, 20}}) == 20);
}
