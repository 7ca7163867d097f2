// The mapper's cost model where units and cores share a memory: the DMA queues of every core book it in
// issue order, as the model's FIFO DRAM channels serve them.
#include <doctest/doctest.h>

#include "arch/isa/command_builders.h"
#include "workloads/mapper/partition_estimate.h"
#include "workloads/mapper/stream_schedule.h"

using namespace npusim;

namespace {

// One 32x32 weight-stationary int8 core at 1 GHz, DRAM 100 GB/s = 100 B/cycle, no setup or latency;
// a DMA port (256 B/cycle per queue) and a scratchpad port (16 banks x 256 B) too wide to matter.
NpuConfig plain_core() {
  NpuConfig config;
  config.sram.banks = 16;
  config.sram.bank_width_bytes = 256;
  config.array.overlap_folds = false;
  config.dram.bandwidth_gbytes_per_s = 100.0;
  config.dma.setup_cycles = 0;
  config.dma.bytes_per_cycle = 256;
  config.dram.latency_ns = 0.0;
  return config;
}

}  // namespace

TEST_CASE("estimate: a store issued behind a long prefetch waits for the memory to finish it") {
  const NpuConfig config = plain_core();
  CommandStream s;
  const uint32_t first = s.add(dma_load_command(BufferKind::kInput, 1000), {});
  const uint32_t tile = s.add(compute_command(ComputeTile{1, 32, 32}), {first});
  const uint32_t store = s.add(dma_store_command(100), {tile});
  s.add(dma_load_command(BufferKind::kWeight, 100000), {});  // the next tile's prefetch, no dependency
  s.add(compute_command(ComputeTile{1, 32, 32}), {store});   // waits for the store (its output buffer)
  CoreMemoryRates rates;
  rates.dma_port_bytes_per_cycle = 256.0;
  rates.dram_bytes_per_cycle = 100.0;
  // Issue order: load 1000 B at 0 (DRAM 0-10); the prefetch issues at 0 too, behind it (DRAM 10-1010);
  // the tile runs 10 + (T + 2H + W - 2 = 1 + 64 + 32 - 2 = 95) = 105; its store issues at 105 and waits
  // for the DRAM until 1010, done at 1011; the second tile runs 1011-1106. (Had the store a memory of
  // its own it would be done at 106 and the layer at 1010, the end of the prefetch.)
  CHECK(schedule_stream_cycles(s, config, ArrayShape{32, 32}, DType::kInt8, rates) == doctest::Approx(1106.0));
}

TEST_CASE("estimate: cores that load at once are served one after the other") {
  NpuConfig config = plain_core();
  config.cores = 2;
  config.noc.topology = IdealNocConfig{};
  CommandStream a, b, idle;
  a.add(dma_load_command(BufferKind::kInput, 10000), {});
  b.add(dma_load_command(BufferKind::kInput, 2500), {});
  // Both issue at 0: core 0's 10000 B take the DRAM for 100 cycles, then core 1's 2500 B for 25: 125.
  CHECK(estimate_streams({&a, &b}, config, DType::kInt8).cycles == doctest::Approx(125.0));
  // A core without DRAM traffic leaves a the whole DRAM: 10000 B / 100 B/cycle.
  CHECK(estimate_streams({&a, &idle}, config, DType::kInt8).cycles == doctest::Approx(100.0));
  // Each then computes one 32x32 fold (T + 2H + W - 2 = 1 + 64 + 32 - 2 = 95 cycles) and stores 2500 B:
  // core 0 computes 100-195 and stores 195-220 (the DRAM is free from 125); core 1 computes 125-220
  // and stores 220-245. An even split of the DRAM would end later: both loads at 50 B/cycle until
  // 50, a's rest at 100 B/cycle until 125, a's compute until 220, its store at 50 B/cycle until 270.
  for (CommandStream* s : {&a, &b}) {
    const uint32_t tile = s->add(compute_command(ComputeTile{1, 32, 32}), {0});
    s->add(dma_store_command(2500), {tile});
  }
  CHECK(estimate_streams({&a, &b}, config, DType::kInt8).cycles == doctest::Approx(245.0));
}

TEST_CASE("estimate: a transfer across the NoC pays the router traversals of its farthest memory node") {
  NpuConfig config = plain_core();
  config.cores = 3;
  config.noc.topology = MeshNocConfig{1, 3};
  config.noc.hop_latency_cycles = 5;
  config.noc.link_bytes_per_cycle = 1000;
  config.dram.channels = 1;
  config.noc.dram_nodes = {0};
  CommandStream load, idle;
  load.add(dma_load_command(BufferKind::kInput, 1000), {});
  // Core 2, two hops from the controller at node 0, loads alone: 1000 B / 100 B/cycle = 10 cycles, then
  // 2 x 5 cycles of routers. Core 0 sits at the controller and pays none.
  CHECK(estimate_streams({&idle, &idle, &load}, config, DType::kInt8).cycles == doctest::Approx(20.0));
  CHECK(estimate_streams({&load, &idle, &idle}, config, DType::kInt8).cycles == doctest::Approx(10.0));
}
