// DMA transfers across the NoC through simulate_npu: hop latency and link serialisation, contention on
// a shared link, flit-hop counts, link statistics, and the global SRAM as a NoC node.
// Hand-built LayerPrograms; one simulate_npu call per test case (one process per case).
#include <doctest/doctest.h>

#include <string>

#include "arch/isa/command_builders.h"
#include "arch/npu_simulation.h"

using namespace npusim;

namespace {

// 1 GHz. DRAM: one channel at 1000 GB/s = 1000 B/cycle, 100 ns = 100 cycles, so the NoC is the
// bottleneck. DMA: setup 10 cycles, 64 B/cycle port. SRAM port 16 * 64 = 1024 B/cycle, latency 2.
// NoC: a 1 x `cols` mesh, 16 B/cycle links, 5 cycles per hop, 32-byte flits; the DRAM controller at
// the last node.
NpuConfig noc_config(uint32_t cores, uint32_t cols) {
  NpuConfig config;
  config.clock_mhz = 1000.0;
  config.cores = cores;
  config.dram.channels = 1;
  config.dram.bandwidth_gbytes_per_s = 1000.0;
  config.dram.latency_ns = 100.0;
  config.dma.setup_cycles = 10;
  config.dma.bytes_per_cycle = 64;
  config.noc.topology = MeshNocConfig{1, cols};
  config.noc.link_bytes_per_cycle = 16;
  config.noc.hop_latency_cycles = 5;
  config.noc.flit_bytes = 32;
  config.noc.dram_nodes = {cols - 1};
  return config;
}

Command load(Bytes bytes, MemoryKind memory = MemoryKind::kDram) {
  return dma_load_command(BufferKind::kInput, bytes, memory);
}
Command store(Bytes bytes, MemoryKind memory = MemoryKind::kDram) { return dma_store_command(bytes, memory); }

}  // namespace

TEST_CASE("noc: a load across one hop takes setup + size/link + DRAM latency + hop latency") {
  // Core 0 at node 0, the controller at node 1: one hop over link (0,1)->(0,0).
  LayerProgram layer;
  layer.name = "far_load";
  layer.add(load(3200), {});
  const NpuRunStats run = simulate_npu(noc_config(2, 2), {layer});
  // Issued at 10 (setup). DRAM: 3200/1000 -> 4 cycles, done 10 + 4 + 100 = 114. The link: 3200/16 =
  // 200 cycles, 10..210; the data arrives at max(114, 210 + 100) + 1 hop * 5 = 315.
  CHECK(run.total_cycles == 10 + 200 + 100 + 5);
  // ceil(3200 / 32) = 100 flits, one hop each.
  CHECK(run.layers[0].noc_flit_hops == 100);
  CHECK(run.layers[0].dram_read_bytes == 3200);
  // 1x2 mesh: two links; the one into core 0 carried the load.
  REQUIRE(run.noc_links.size() == 2);
  for (const auto& link : run.noc_links) {
    CAPTURE(link.name);
    CHECK(link.bytes == (link.name == "(0,1)->(0,0)" ? 3200u : 0u));
  }
  CHECK(run.cores == 2);
  REQUIRE(run.core_layers.size() == 2);
  CHECK(run.core_layers[1][0].dma_transfers == 0);  // core 1 had nothing to do in this layer
}

TEST_CASE("noc: a store goes core -> controller and pays the same latencies") {
  LayerProgram layer;
  layer.name = "far_store";
  layer.add(store(1600), {});
  const NpuRunStats run = simulate_npu(noc_config(1, 3), {layer});
  // Core 0 -> node 2: two hops. Link serialisation 1600/16 = 100 cycles: 10 + 100 + 100 + 2 * 5.
  CHECK(run.total_cycles == 10 + 100 + 100 + 10);
  CHECK(run.layers[0].noc_flit_hops == 50 * 2);
}

TEST_CASE("noc: two cores sharing a link take twice the serialisation of one") {
  // 1x3 mesh, controller at node 2. Core 0's data crosses (0,2)->(0,1) then (0,1)->(0,0); core 1's
  // crosses (0,2)->(0,1) only. Both loads issue at cycle 10 (same batch: core 0 is granted first).
  LayerProgram layer;
  layer.name = "shared_link";
  layer.add(load(3200), {});
  layer.more_cores.emplace_back();
  layer.more_cores[0].add(load(3200), {});
  const NpuRunStats run = simulate_npu(noc_config(2, 3), {layer});
  // Alone, core 1 would finish at 10 + 200 + 100 + 5 = 315. Sharing: core 0 holds the link 10..210
  // (done 210 + 100 + 2 * 5 = 320); core 1 queues 210..410, done 410 + 100 + 5 = 515.
  REQUIRE(run.core_layers.size() == 2);
  CHECK(run.core_layers[0][0].end_cycle == 320);
  CHECK(run.core_layers[1][0].end_cycle == 515);
  CHECK(run.total_cycles == 515);
  // Serialisation: 400 cycles for two flows against 200 for one.
  CHECK(run.total_cycles - 10 - 100 - 5 == 2 * 200);
  CHECK(run.layers[0].critical_core == 1);
  CHECK(run.layers[0].barrier_wait_cycles == 515 - 320);
  CHECK(run.layers[0].noc_flit_hops == 100 * 2 + 100 * 1);
  for (const auto& link : run.noc_links) {
    if (link.name == "(0,2)->(0,1)") {
      CHECK(link.bytes == 6400);
      CHECK(link.busy_cycles == 400);
    }
  }
}

TEST_CASE("noc: cores synchronise at layer boundaries") {
  // Ideal NoC, one DRAM channel at 32 B/cycle: core 0 loads 3200 B (DRAM 10..110, done 210), core 1
  // loads 6400 B queued behind it (110..310, done 410). Layer 1 (core 0 only) starts at 410.
  NpuConfig config = noc_config(2, 2);
  config.noc.topology = IdealNocConfig{};
  config.noc.dram_nodes = {0};
  config.dram.bandwidth_gbytes_per_s = 32.0;
  LayerProgram first;
  first.name = "first";
  first.add(load(3200), {});
  first.more_cores.emplace_back();
  first.more_cores[0].add(load(6400), {});
  LayerProgram second;
  second.name = "second";
  second.add(load(3200), {});
  const NpuRunStats run = simulate_npu(config, {first, second});
  CHECK(run.core_layers[0][0].end_cycle == 210);
  CHECK(run.layers[0].end_cycle == 410);
  CHECK(run.layers[1].start_cycle == 410);
  CHECK(run.core_layers[1][1].start_cycle == 410);
  // 410 + 10 setup + 100 transfer + 100 latency.
  CHECK(run.layers[1].end_cycle == 620);
  CHECK(run.layers[0].dram_read_bytes == 9600);
  CHECK(run.layers[0].dma_transfers == 2);
  CHECK(run.noc_links.empty());
  CHECK(run.layers[0].noc_flit_hops == 0);
}

TEST_CASE("noc: the global SRAM is a NoC node with its own port") {
  // Global SRAM at node 1 of a 1x2 mesh: 64 B/cycle, 4 cycles latency. A 3200 B load from it: port
  // 3200/64 = 50 cycles (done 10 + 50 + 4 = 64), the link 200 cycles: max(64, 210 + 4) + 5 = 219.
  NpuConfig config = noc_config(2, 2);
  config.global_sram.capacity_bytes = 1 * kMiB;
  config.global_sram.bytes_per_cycle = 64;
  config.global_sram.latency_cycles = 4;
  config.noc.global_sram_node = 1;
  LayerProgram layer;
  layer.name = "global";
  layer.add(load(3200, MemoryKind::kGlobalSram), {});
  const NpuRunStats run = simulate_npu(config, {layer});
  CHECK(run.total_cycles == 10 + 200 + 4 + 5);
  CHECK(run.layers[0].global_sram_read_bytes == 3200);
  CHECK(run.layers[0].dram_read_bytes == 0);
}

TEST_CASE("noc: a layer split over more cores than the NPU has is rejected") {
  LayerProgram layer;
  layer.name = "too_wide";
  layer.add(load(64), {});
  layer.more_cores.resize(2);
  CHECK_THROWS_AS(simulate_npu(noc_config(2, 2), {layer}), std::logic_error);
}
