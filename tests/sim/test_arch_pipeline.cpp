// Compute, vector and pipelining through simulate_npu: tile cycles, double buffering (compute- and
// memory-bound), stall accounting, dependencies, layer barriers, SRAM port conflicts, effort.
// Every case builds its LayerPrograms by hand and calls simulate_npu once (one process per case).
#include <doctest/doctest.h>

#include <vector>

#include "arch/isa/command_builders.h"
#include "arch/npu_simulation.h"
#include "arch/timing/systolic_timing.h"
#include "tests/sim/arch_test_config.h"

using namespace npusim;
using namespace npusim_test;

namespace {

Command vector_op(uint64_t elements, uint32_t ops, Bytes read, Bytes write) {
  return vector_command(VectorWork{VectorOpKind::kElementwise, elements, ops, read, write});
}
Command sync() { return sync_command(); }

void check_stall_invariant(const LayerStats& s) {
  CHECK(s.cycles() ==
        s.engine_busy_cycles + s.stall_memory_cycles + s.stall_dependency_cycles + s.stall_drain_cycles);
}

// N (load, tile) pairs, double-buffered: load i+2 reuses tile i's buffer, so it waits for tile i.
// One store after the last tile.
LayerProgram double_buffered(uint32_t pairs, Bytes load_bytes, ComputeTile shape, Bytes store_bytes) {
  LayerProgram layer;
  layer.name = "double_buffered";
  std::vector<uint32_t> tiles;
  std::vector<uint32_t> loads;
  for (uint32_t i = 0; i < pairs; ++i) {
    loads.push_back(i >= 2 ? layer.add(load(load_bytes), {tiles[i - 2]}) : layer.add(load(load_bytes), {}));
    tiles.push_back(layer.add(tile(shape.m, shape.n, shape.k), {loads[i]}));
  }
  layer.add(store(store_bytes), {tiles.back()});
  return layer;
}

}  // namespace

TEST_CASE("arch: a compute tile takes gemm_tile_cycles") {
  LayerProgram layer;
  layer.name = "tile";
  layer.add(tile(64, 8, 8), {});
  const NpuRunStats run = simulate_npu(arch_test_config(), {layer});
  // 8x8 WS, K=8 and N=8 fit one fold: T + 2H + W - 2 = 64 + 16 + 8 - 2 = 86.
  CHECK(gemm_tile_cycles(ArrayShape{8, 8}, Dataflow::kWeightStationary, GemmShape{64, 8, 8}, false) == 86);
  const LayerStats& s = run.layers[0];
  CHECK(s.cycles() == 86);
  CHECK(s.engine_busy_cycles == 86);
  CHECK(s.array_busy_cycles == 86);
  CHECK(s.macs == 64 * 8 * 8);
  CHECK(s.compute_tiles == 1);
  // int8 traffic: ifmap M*K = 512 + filter K*N = 64 reads, ofmap M*N = 512 writes; the 1024 B/cycle
  // port moves them in 2 cycles (+2 latency), far inside the tile: no conflict.
  CHECK(s.sram_read_bytes == 576);
  CHECK(s.sram_write_bytes == 512);
  CHECK(s.sram_conflict_cycles == 0);
  check_stall_invariant(s);
}

TEST_CASE("arch: a narrow SRAM port stretches a tile and counts the conflict") {
  NpuConfig config = arch_test_config();
  config.sram.banks = 1;
  config.sram.bank_width_bytes = 4;  // 4 B/cycle
  LayerProgram layer;
  layer.name = "tile";
  layer.add(tile(64, 8, 8), {});
  const NpuRunStats run = simulate_npu(config, {layer});
  // 576 + 512 = 1088 bytes at 4 B/cycle = 272 cycles + 2 latency = 274 > 86: 188 conflict cycles.
  CHECK(run.layers[0].cycles() == 274);
  CHECK(run.layers[0].sram_conflict_cycles == 188);
  CHECK(run.layers[0].engine_busy_cycles == 274);
}

TEST_CASE("arch: compute-bound double buffering hides DMA: first load + N * tile + store") {
  // Loads of 640 B: 10 + 640/32 + 100 = 130 cycles alone. Tiles M=256 on 8x8 WS: 256 + 16 + 8 - 2
  // = 278 cycles. Store of 640 B after the last tile: 130 cycles.
  // Tile i starts when tile i-1 ends, since load i (issued as soon as tile i-2 ends) needs 130 < 278.
  const LayerProgram layer = double_buffered(4, 640, ComputeTile{256, 8, 8}, 640);
  const NpuRunStats run = simulate_npu(arch_test_config(), {layer});
  const LayerStats& s = run.layers[0];
  CHECK(s.cycles() == 130 + 4 * 278 + 130);
  CHECK(s.engine_busy_cycles == 4 * 278);
  CHECK(s.stall_memory_cycles == 130);  // the first fill only
  CHECK(s.stall_drain_cycles == 130);   // the final store
  CHECK(s.stall_dependency_cycles == 0);
  check_stall_invariant(s);
  // Load 2 could start at 20 (decoder free after load 1) but waits for tile 0 to end at 130 + 278 =
  // 408: 388 cycles. Load 3 could start at 418 (after load 2's setup) and waits for tile 1 (686): 268.
  CHECK(s.dma_wait_compute_cycles == 388 + 268);
  // In flight: loads 0,1 [0,130) U [10,150) = 150; load 2 [408,538); load 3 [686,816);
  // store [1242,1372): 150 + 3 * 130.
  CHECK(s.dma_busy_cycles == 150 + 3 * 130);
  CHECK(s.dram_read_bytes == 4 * 640);
  CHECK(s.dram_write_bytes == 640);
  CHECK(s.macs == 4ull * 256 * 8 * 8);
}

TEST_CASE("arch: memory-bound double buffering runs at DRAM speed: about N * load") {
  // Loads of 6400 B take 200 cycles of DRAM each; tiles M=64 take 86 cycles (< 200).
  // Load i's DRAM slot follows load i-1's back to back (load 2 and 3 are released by tiles 0 and 1
  // before the channel frees up), so the last load is done at 10 + 4 * 200 + 100 = 910; the last
  // tile ends at 996; the store (640 B) takes 10 + 20 + 100: total 1126.
  const LayerProgram layer = double_buffered(4, 6400, ComputeTile{64, 8, 8}, 640);
  const NpuRunStats run = simulate_npu(arch_test_config(), {layer});
  const LayerStats& s = run.layers[0];
  CHECK(s.cycles() == 10 + 4 * 200 + 100 + 86 + 130);
  CHECK(s.engine_busy_cycles == 4 * 86);
  // Tiles start at 310, 510, 710, 910: idle 310 then 200 - 86 = 114 before each of the others.
  CHECK(s.stall_memory_cycles == 310 + 3 * 114);
  CHECK(s.stall_drain_cycles == 130);
  check_stall_invariant(s);
}

TEST_CASE("arch: dependencies through a sync, in-order queues and a store after the first tile") {
  LayerProgram layer;
  layer.name = "deps";
  const uint32_t a = layer.add(load(3200), {});  // done 210
  const uint32_t b = layer.add(load(3200), {});  // pipelined behind a: done 310
  const uint32_t barrier = layer.add(sync(), {a, b});
  const uint32_t t0 = layer.add(tile(64, 8, 8), {barrier});  // 310..396
  layer.add(tile(64, 8, 8), {});  // no deps, but behind t0 in the array queue: 396..482
  layer.add(store(320), {t0});    // 396 + 10 + 320/32 + 100 = 516
  const NpuRunStats run = simulate_npu(arch_test_config(), {layer});
  const LayerStats& s = run.layers[0];
  CHECK(s.end_cycle == 516);
  CHECK(s.engine_busy_cycles == 2 * 86);
  CHECK(s.stall_memory_cycles == 310);  // the sync's last dependency is a load
  CHECK(s.stall_drain_cycles == 516 - 482);
  check_stall_invariant(s);
}

TEST_CASE("arch: the array waiting on a vector op is a dependency stall") {
  LayerProgram layer;
  layer.name = "vector_then_tile";
  const uint32_t in = layer.add(load(640), {});                        // done 130
  const uint32_t v = layer.add(vector_op(1000, 1, 1000, 1000), {in});  // 4 + ceil(1000/16) = 67: 130..197
  const uint32_t t = layer.add(tile(64, 8, 8), {v});                   // 197..283
  layer.add(store(640), {t});                                          // 283 + 130 = 413
  const NpuRunStats run = simulate_npu(arch_test_config(), {layer});
  const LayerStats& s = run.layers[0];
  CHECK(s.end_cycle == 413);
  // The engine is the array (the layer has tiles): idle 130 for the load, then 67 for the vector op.
  CHECK(s.stall_memory_cycles == 130);
  CHECK(s.stall_dependency_cycles == 67);
  CHECK(s.engine_busy_cycles == 86);
  CHECK(s.stall_drain_cycles == 130);
  CHECK(s.vector_busy_cycles == 67);
  CHECK(s.vector_commands == 1);
  CHECK(s.vector_ops == 1000);
  check_stall_invariant(s);
}

TEST_CASE("arch: vector op cycles and counts") {
  LayerProgram layer;
  layer.name = "vector";
  layer.add(vector_op(1000, 3, 2000, 1000), {});
  const NpuRunStats run = simulate_npu(arch_test_config(), {layer});
  const LayerStats& s = run.layers[0];
  // 4 latency + ceil(3000 / 16) = 4 + 188 = 192; SRAM 3000 B at 1024 B/cycle is 3 + 2 cycles.
  CHECK(s.cycles() == 192);
  CHECK(s.vector_busy_cycles == 192);
  CHECK(s.engine_busy_cycles == 192);  // no tiles: the vector unit is the engine
  CHECK(s.vector_ops == 3000);
  CHECK(s.sram_read_bytes == 2000);
  CHECK(s.sram_write_bytes == 1000);
  CHECK(s.macs == 0);
  check_stall_invariant(s);
}

TEST_CASE("arch: layers run in order with a barrier between them") {
  LayerProgram first;
  first.name = "first";
  first.add(load(3200), {});  // 210
  LayerProgram empty;
  empty.name = "empty";
  LayerProgram second;
  second.name = "second";
  second.add(tile(64, 8, 8), {});  // 86, starts only when the first layer is done
  const NpuRunStats run = simulate_npu(arch_test_config(), {first, empty, second});
  REQUIRE(run.layers.size() == 3);
  CHECK(run.layers[0].end_cycle == 210);
  CHECK(run.layers[1].start_cycle == 210);
  CHECK(run.layers[1].cycles() == 0);
  CHECK(run.layers[2].start_cycle == 210);
  CHECK(run.layers[2].end_cycle == 296);
  CHECK(run.total_cycles == 296);
}

TEST_CASE("arch: a long stream costs about two process wake-ups per command") {
  // 40 layers of a 50-pair double-buffered stream: 101 commands each, 4040 in total.
  std::vector<LayerProgram> layers(40, double_buffered(50, 640, ComputeTile{256, 8, 8}, 640));
  const NpuRunStats run = simulate_npu(arch_test_config(), layers);
  CHECK(run.commands_issued == 40 * 101);
  // Each layer is compute bound: 130 + 50 * 278 + 130.
  CHECK(run.total_cycles == 40ull * (130 + 50 * 278 + 130));
  // A command is woken until its issue cycle and for its grant; dependency waits add a few.
  CHECK(run.kernel_wakeups <= 3 * run.commands_issued);
  MESSAGE("wake-ups per command: ", static_cast<double>(run.kernel_wakeups) / run.commands_issued);
}
