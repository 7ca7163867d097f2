// Real layers through the whole path (IR -> mapper -> SystemC models), checked against closed forms
// derived here. One simulate_npu call per test case (one process per case).
#include <doctest/doctest.h>

#include <cmath>

#include "arch/npu_simulation.h"
#include "arch/timing/systolic_timing.h"
#include "tests/support/test_ops.h"
#include "workloads/mapper/mapper.h"
#include "workloads/workload_spec.h"
#include "workloads/zoo/model_zoo.h"

using namespace npusim;
using namespace npusim_test;

namespace {

// 32x32 weight-stationary int8 array at 1 GHz with fold overlap, 16 MiB SRAM.
NpuConfig base_config() {
  NpuConfig config;
  config.array.rows = 32;
  config.array.cols = 32;
  config.array.dataflow = Dataflow::kWeightStationary;
  config.array.overlap_folds = true;
  config.sram.capacity_bytes = 16 * kMiB;
  return config;
}

// DRAM, DMA and SRAM so fast that only the array matters.
NpuConfig ample_memory_config() {
  NpuConfig config = base_config();
  config.dram.bandwidth_gbytes_per_s = 1.0e6;  // 1e6 B/cycle
  config.dram.channels = 1;
  config.dram.latency_ns = 0.0;
  config.dma.setup_cycles = 0;
  config.dma.bytes_per_cycle = 1u << 20;
  config.sram.banks = 64;
  config.sram.bank_width_bytes = 1024;
  config.sram.latency_cycles = 0;
  config.mapper.objective = MapperObjective::kTraffic;  // one tile: the closed form is one GEMM
  return config;
}

LayerStats simulate_one(const Operator& op, const NpuConfig& config, LayerProgram* program_out = nullptr) {
  std::vector<LayerProgram> programs{map_operator(op, 0, config)};
  const NpuRunStats stats = simulate_npu(config, programs);
  if (program_out != nullptr) *program_out = programs.front();
  return stats.layers.front();
}

}  // namespace

TEST_CASE("integration: with ample SRAM and bandwidth a GEMM takes its closed-form cycles") {
  // GEMM M=512, N=64, K=64 int8 on 32x32 WS: Sr = K = 64, Sc = N = 64, T = M = 512.
  // folds = ceil(64/32) * ceil(64/32) = 4. With fold overlap: preload H + folds * max(T, H) + H + W - 2
  // = 32 + 4 * 512 + 62 = 2142 cycles. Loads (32 KiB + 4 KiB) and the store (32 KiB) each take one
  // cycle at 1e6 B/cycle, so the layer is 2142 + 1 (loads, in parallel) + 1 (store) = 2144 cycles.
  const NpuConfig config = ample_memory_config();
  LayerProgram program;
  const LayerStats stats = simulate_one(fc_op("gemm", 512, 64, 64), config, &program);
  CHECK(program.mapping.tiles == 1);
  CHECK(stats.engine_busy_cycles == 2142);
  CHECK(stats.cycles() >= 2142);
  CHECK(stats.cycles() <= 2142 + 4);
  CHECK(stats.macs == 512 * 64 * 64);
  CHECK(stats.dram_read_bytes == 512 * 64 + 64 * 64);
  CHECK(stats.dram_write_bytes == 512 * 64);
}

TEST_CASE("integration: without fold overlap a GEMM pays fill and drain per fold") {
  // Same GEMM, overlap off: folds * (T + 2H + W - 2) = 4 * (512 + 64 + 32 - 2) = 2424 cycles.
  NpuConfig config = ample_memory_config();
  config.array.overlap_folds = false;
  const LayerStats stats = simulate_one(fc_op("gemm", 512, 64, 64), config);
  CHECK(stats.engine_busy_cycles == 2424);
  CHECK(stats.cycles() <= 2424 + 4);
}

TEST_CASE("integration: a DRAM-bound layer takes bytes / bandwidth within 5%") {
  // FC 4096 -> 4096 at batch 1, int8: weights 4096*4096 = 16 MiB, input 4 KiB, output 4 KiB.
  // At 25.6 GB/s and 1 GHz the DRAM moves 25.6 B/cycle: (16777216 + 8192) / 25.6 = 655680 cycles.
  // Compute is tiny (M = 1: each weight fold streams one row), so DRAM sets the time.
  NpuConfig config = base_config();
  config.sram.capacity_bytes = 2 * kMiB;  // weights cannot stay on chip: they stream through once
  config.dram.bandwidth_gbytes_per_s = 25.6;
  config.dram.channels = 2;
  const LayerStats stats = simulate_one(fc_op("gemm", 1, 4096, 4096), config);
  const double bytes = static_cast<double>(stats.dram_read_bytes + stats.dram_write_bytes);
  CHECK(stats.dram_read_bytes == 4096ull * 4096 + 4096);
  CHECK(stats.dram_write_bytes == 4096);
  const double bound_cycles = bytes / 25.6;
  CHECK(bound_cycles == doctest::Approx(655680.0));
  CHECK(static_cast<double>(stats.cycles()) >= bound_cycles);
  CHECK(static_cast<double>(stats.cycles()) <= 1.05 * bound_cycles);
  CHECK(stats.dma_busy_cycles > stats.engine_busy_cycles);  // reported as memory-bound
}

TEST_CASE("integration: double buffering hides DMA under compute when compute-bound") {
  // GEMM M=4096, N=256, K=256 int8 on 32x32 WS: folds = 8 * 8 = 64, each streaming its M rows, so
  // compute is about 64 * 4096 = 262144 cycles. DRAM traffic is A 1 MiB + B 64 KiB + C 1 MiB
  // = 2162688 B, 84480 cycles at 25.6 B/cycle: a third of compute. If loads and stores did not overlap
  // compute the layer would take about 262144 + 84480 cycles; with double buffering only the first
  // tile's loads and the last tile's store stay exposed, one tile's share of the traffic.
  NpuConfig config = base_config();
  config.sram.capacity_bytes = 2 * kMiB;
  config.dram.bandwidth_gbytes_per_s = 25.6;
  LayerProgram program;
  const LayerStats stats = simulate_one(fc_op("gemm", 4096, 256, 256), config, &program);
  REQUIRE(program.mapping.tiles >= 2);
  const double dma_cycles = static_cast<double>(stats.dram_read_bytes + stats.dram_write_bytes) / 25.6;
  CHECK(stats.engine_busy_cycles >= 64 * 4096);
  CHECK(dma_cycles > 0.3 * static_cast<double>(stats.engine_busy_cycles));
  // Exposed = the loads the first compute waits for + the last store, at 25.6 B/cycle, plus DMA setup
  // and DRAM latency for each (a few hundred cycles).
  Bytes first_loads = 0;
  Bytes last_store = 0;
  for (const Command& command : program.commands) {
    if (command.kind == CommandKind::kCompute) break;
    if (command.kind == CommandKind::kDmaLoad) first_loads += command.bytes;
  }
  for (const Command& command : program.commands) {
    if (command.kind == CommandKind::kDmaStore) last_store = command.bytes;
  }
  const double exposed_bound = static_cast<double>(first_loads + last_store) / 25.6 + 1000.0;
  const double exposed = static_cast<double>(stats.cycles() - stats.engine_busy_cycles);
  CHECK(exposed <= exposed_bound);
  CHECK(exposed < 0.5 * dma_cycles);
}

TEST_CASE("integration: ResNet-50 on the edge preset counts every MAC and respects the peak") {
  // 4,089,184,256 MACs (torchvision ResNet-50 at 224, see the zoo tests). A 32x32 array at one MAC
  // per PE per cycle needs at least MACs / 1024 = 3,993,344 cycles.
  NpuConfig config = base_config();
  config.sram.capacity_bytes = 2 * kMiB;
  const Workload workload = build_zoo_workload(parse_workload_spec("resnet50"), DType::kInt8);
  const std::vector<LayerProgram> programs = map_workload(workload, config);
  const NpuRunStats stats = simulate_npu(config, programs);
  uint64_t macs = 0;
  Cycles cycles = 0;
  for (const LayerStats& layer : stats.layers) {
    macs += layer.macs;
    cycles += layer.cycles();
    CHECK(layer.cycles() == layer.engine_busy_cycles + layer.stall_memory_cycles +
                                layer.stall_dependency_cycles + layer.stall_drain_cycles);
  }
  CHECK(macs == 4089184256ull);
  CHECK(cycles >= 4089184256ull / 1024);
  CHECK(stats.total_cycles == cycles);
}
