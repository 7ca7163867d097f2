// DMA timing through simulate_npu: one transfer, pipelining, outstanding limits, same-cycle order.
// Every case builds its LayerPrograms by hand and calls simulate_npu once (one process per case).
#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

#include "arch/isa/command_builders.h"
#include "arch/npu_simulation.h"
#include "arch/timing/dma_timing.h"
#include "tests/sim/arch_test_config.h"

using namespace npusim;
using namespace npusim_test;

TEST_CASE("arch: one DMA load takes setup + ceil(B/BW) + latency") {
  LayerProgram layer;
  layer.name = "load";
  layer.add(load(3200), {});
  const NpuRunStats run = simulate_npu(arch_test_config(), {layer});
  // 10 setup + 3200 / 32 = 100 transfer + 100 latency.
  REQUIRE(run.layers.size() == 1);
  const LayerStats& s = run.layers[0];
  CHECK(s.start_cycle == 0);
  CHECK(s.end_cycle == 210);
  CHECK(run.total_cycles == 210);
  CHECK(s.dma_transfers == 1);
  CHECK(s.dram_read_bytes == 3200);
  CHECK(s.sram_write_bytes == 3200);
  CHECK(s.dma_busy_cycles == 210);
  // No engine in the layer: all of it is memory time.
  CHECK(s.stall_memory_cycles == 210);
  CHECK(s.engine_busy_cycles == 0);
}

TEST_CASE("arch: one DMA store takes setup + ceil(B/BW) + latency") {
  LayerProgram layer;
  layer.name = "store";
  layer.add(store(3200), {});
  const NpuRunStats run = simulate_npu(arch_test_config(), {layer});
  CHECK(run.total_cycles == 10 + 100 + 100);
  CHECK(run.layers[0].dram_write_bytes == 3200);
  CHECK(run.layers[0].sram_read_bytes == 3200);
}

TEST_CASE("arch: a lone load matches isolated_dma_cycles on the default two-channel config") {
  NpuConfig config;  // 34 GB/s over 2 channels at 1 GHz = 17 B/cycle each, 100 cycles, setup 16
  LayerProgram layer;
  layer.name = "load";
  layer.add(load(4096), {});
  const NpuRunStats run = simulate_npu(config, {layer});
  // 2048 bytes per channel: ceil(2048 / 17) = 121; 16 + 121 + 100.
  CHECK(run.total_cycles == 237);
  CHECK(run.total_cycles == isolated_dma_cycles(config, 4096));
}

TEST_CASE("arch: back-to-back loads pipeline instead of paying latency twice") {
  LayerProgram layer;
  layer.name = "loads";
  layer.add(load(3200), {});
  layer.add(load(3200), {});
  const NpuRunStats run = simulate_npu(arch_test_config(), {layer});
  // Load 0: data from 10, DRAM busy 10..110, done 210. Load 1 is decoded 10..20 while load 0 moves,
  // queues on DRAM 110..210, done 310 = setup + 2 * 3200/32 + latency, not 2 * 210 = 420.
  CHECK(run.total_cycles == 10 + 2 * 100 + 100);
  CHECK(run.layers[0].dma_transfers == 2);
  CHECK(run.layers[0].dma_busy_cycles == 310);
}

TEST_CASE("arch: max_outstanding = 1 serialises transfers") {
  NpuConfig config = arch_test_config();
  config.dma.max_outstanding = 1;
  LayerProgram layer;
  layer.name = "loads";
  layer.add(load(3200), {});
  layer.add(load(3200), {});
  const NpuRunStats run = simulate_npu(config, {layer});
  // Load 1 may only start decoding when load 0 completes at 210: 210 + 10 + 100 + 100.
  CHECK(run.total_cycles == 420);
}

TEST_CASE("arch: loads and stores share the DRAM channel; same-cycle requests go loads first") {
  LayerProgram layer;
  layer.name = "mixed";
  const uint32_t in = layer.add(load(3200), {});
  layer.add(store(3200), {});
  layer.add(tile(64, 8, 8), {in});
  const NpuRunStats run = simulate_npu(arch_test_config(), {layer});
  // Both descriptors reach DRAM at cycle 10. Loads win the tie: load DRAM 10..110, done 210; the
  // store queues 110..210, done 310. The tile (8x8 WS, one fold: 64 + 2*8 + 8 - 2 = 86 cycles)
  // runs 210..296. Had the store gone first the load would finish at 310 and the tile at 396.
  CHECK(run.layers[0].end_cycle == 310);
  CHECK(run.layers[0].engine_busy_cycles == 86);
  CHECK(run.layers[0].stall_memory_cycles == 210);
  CHECK(run.layers[0].stall_drain_cycles == 310 - 296);
}

TEST_CASE("arch: a deadlocked command stream throws naming the layer") {
  LayerProgram layer;
  layer.name = "broken_layer";
  layer.add(load(64), {});
  layer.add(load(64), {});
  layer.deps.push_back(1);  // load 0 waits for load 1, which is behind it in the same queue
  layer.commands[0].dep_begin = 0;
  layer.commands[0].dep_count = 1;
  try {
    simulate_npu(arch_test_config(), {layer});
    FAIL("expected std::logic_error");
  } catch (const std::logic_error& error) {
    const std::string message = error.what();
    CHECK(message.find("broken_layer") != std::string::npos);
    CHECK(message.find("deadlock") != std::string::npos);
  }
}

TEST_CASE("arch: simulate_npu refuses a second run in the same process") {
  LayerProgram layer;
  layer.name = "load";
  layer.add(load(64), {});
  simulate_npu(arch_test_config(), {layer});
  CHECK_THROWS_AS(simulate_npu(arch_test_config(), {layer}), std::logic_error);
}

TEST_CASE("arch: a 1.2 GHz clock with fractional DRAM bytes per cycle stays exact") {
  NpuConfig config = arch_test_config();
  config.clock_mhz = 1200.0;
  config.dram.bandwidth_gbytes_per_s = 34.0;  // 34000 / 1200 = 85/3 B/cycle
  LayerProgram layer;
  layer.name = "load";
  layer.add(load(850), {});
  layer.add(load(850), {});
  const NpuRunStats run = simulate_npu(config, {layer});
  // Latency 100 ns * 1.2 = 120 cycles. Each load is 850 * 3 / 85 = 30 DRAM cycles; the second
  // queues behind the first: 10 setup + 60 + 120.
  CHECK(run.total_cycles == 190);
}

TEST_CASE("arch: an error raised inside the model surfaces with its own type") {
  LayerProgram layer;
  layer.name = "huge";
  layer.add(load(Bytes{1} << 62), {});  // 2^57 cycles at 32 B/cycle: past SystemC's 64-bit fs time
  CHECK_THROWS_AS(simulate_npu(arch_test_config(), {layer}), std::overflow_error);
}
