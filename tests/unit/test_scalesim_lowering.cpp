// SCALE-Sim-mode lowering: one compute command per fold running exactly L cycles, double-buffered
// operand loads that add up to the modelled cold DRAM traffic, one store per fold.
#include <doctest/doctest.h>

#include "arch/timing/scalesim_timing.h"
#include "workloads/mapper/scalesim_lowering.h"

namespace npusim {
namespace {

NpuConfig scalesim_config(Dataflow dataflow, uint32_t sram_kb) {
  NpuConfig config;
  config.array.rows = 8;
  config.array.cols = 8;
  config.array.dataflow = dataflow;
  config.array.overlap_folds = false;
  config.timing_mode = TimingMode::kScaleSim;
  config.scalesim.ifmap_sram_kb = config.scalesim.filter_sram_kb = config.scalesim.ofmap_sram_kb = sram_kb;
  return config;
}

Operator matmul(uint64_t m, uint64_t n, uint64_t k) {
  Operator op;
  op.name = "mm";
  op.kind = OpKind::kMatMul;
  op.params = MatMulParams{m, n, k, true};
  return op;
}

struct Totals {
  uint64_t computes = 0, ifmap_loads = 0, filter_loads = 0, stores = 0;
  Bytes ifmap_bytes = 0, filter_bytes = 0, store_bytes = 0;
};

Totals totals(const LayerProgram& p) {
  Totals t;
  for (const Command& c : p.commands) {
    if (c.kind == CommandKind::kCompute) ++t.computes;
    if (c.kind == CommandKind::kDmaStore) ++t.stores, t.store_bytes += c.bytes;
    if (c.kind == CommandKind::kDmaLoad && c.buffer == BufferKind::kInput)
      ++t.ifmap_loads, t.ifmap_bytes += c.bytes;
    if (c.kind == CommandKind::kDmaLoad && c.buffer == BufferKind::kWeight)
      ++t.filter_loads, t.filter_bytes += c.bytes;
  }
  return t;
}

// Folds run exactly L cycles each; compute i waits for its operand loads; loads into a used half
// wait for a compute; the plan's DRAM bytes are scalesim_cold_dram_traffic's words (1 byte each).
void check_program(const LayerProgram& p, const NpuConfig& config, const GemmShape& gemm) {
  const ArrayShape array{config.array.rows, config.array.cols};
  const Dataflow dataflow = config.array.dataflow;
  const ScaleSimLayerTiming timing = scalesim_layer_timing(array, dataflow, gemm);
  const ScaleSimDramCounts dram = scalesim_cold_dram_traffic(array, dataflow, gemm, config.scalesim);
  const Totals t = totals(p);
  CHECK(t.computes == timing.folds);
  CHECK(t.stores == timing.folds);
  CHECK(t.ifmap_bytes == dram.ifmap_reads);
  CHECK(t.filter_bytes == dram.filter_reads);
  CHECK(t.store_bytes == dram.ofmap_writes);
  CHECK(p.mapping.unit == "array");
  CHECK(p.mapping.loop_order == "scalesim");
  CHECK(p.mapping.folds == timing.folds);
  CHECK(p.mapping.tiles == timing.folds);
  CHECK(p.mapping.mapping_efficiency == timing.mapping_efficiency);
  CHECK(p.mapping.planned_dram_read_bytes == dram.ifmap_reads + dram.filter_reads);
  CHECK(p.mapping.planned_dram_write_bytes == dram.ofmap_writes);
  CHECK(p.commands.front().kind == CommandKind::kDmaLoad);  // the first fold starts cold
  Cycles busy = 0;
  for (uint32_t id = 0; id < p.commands.size(); ++id) {
    const Command& c = p.commands[id];
    if (c.kind != CommandKind::kCompute) continue;
    const Cycles cycles = gemm_tile_cycles(array, dataflow, {c.tile.m, c.tile.n, c.tile.k}, false);
    CHECK(cycles == timing.fold_cycles);
    busy += cycles;
    uint32_t operand_loads = 0;
    for (uint32_t d = 0; d < c.dep_count; ++d) {
      operand_loads += p.commands[p.deps[c.dep_begin + d]].kind == CommandKind::kDmaLoad ? 1 : 0;
    }
    CHECK(operand_loads == 2);
  }
  CHECK(busy == timing.compute_cycles + 1);  // SCALE-Sim reports the last cycle's 0-based index
  // Double buffering: the third and later loads of an operand reuse a half and wait for its reader.
  uint32_t loads[2] = {0, 0};
  for (const Command& c : p.commands) {
    if (c.kind != CommandKind::kDmaLoad) continue;
    const uint32_t n = loads[c.buffer == BufferKind::kWeight ? 1 : 0]++;
    CHECK(c.dep_count == (n >= 2 ? 1u : 0u));
    if (c.dep_count == 1) CHECK(p.commands[p.deps[c.dep_begin]].kind == CommandKind::kCompute);
  }
}

}  // namespace

TEST_CASE("scalesim lowering: OS folds, ifmap re-streamed per column fold") {
  // 100x10x16 on 8x8 with 1 kB SRAMs (512-byte halves): 13 row x 2 column folds. The ifmap (1600 B)
  // does not fit a half and its tile (8 rows x 16) changes every fold: 26 loads, 2 * (12*128 + 64) =
  // 3200 B; the 160-byte filter fits: one cold load; stores: the 8x8 (or partial) outputs, 1000 B.
  const NpuConfig config = scalesim_config(Dataflow::kOutputStationary, 1);
  const LayerProgram p = lower_scalesim_layer(matmul(100, 10, 16), 3, config);
  CHECK(p.op_index == 3);
  CHECK(p.name == "mm");
  CHECK(p.macs == 16000);
  CHECK(p.mapping.tile.m == 8);
  CHECK(p.mapping.tile.k == 16);
  const Totals t = totals(p);
  CHECK(t.ifmap_loads == 26);
  CHECK(t.filter_loads == 1);
  CHECK(t.ifmap_bytes == 3200);
  check_program(p, config, {100, 10, 16});
}

TEST_CASE("scalesim lowering: WS stores partial sums per row fold") {
  // 100x40x16: Sr=K=16 (2 row folds), Sc=N=40 (5 column folds): 10 folds. Neither operand fits a
  // 512-byte half (1600 B, 640 B): ifmap tile M x 8 = 800 B per fold -> 8000 B; filter tile 8x8 per
  // fold -> 640 B; stores M x 8 partial sums per fold -> 8000 B = M*N*2.
  const NpuConfig config = scalesim_config(Dataflow::kWeightStationary, 1);
  const LayerProgram p = lower_scalesim_layer(matmul(100, 40, 16), 0, config);
  const Totals t = totals(p);
  CHECK(t.ifmap_loads == 10);
  CHECK(t.filter_loads == 10);
  CHECK(t.ifmap_bytes == 8000);
  CHECK(t.store_bytes == 8000);
  check_program(p, config, {100, 40, 16});
}

TEST_CASE("scalesim lowering: IS keeps a filter that fits half its SRAM resident") {
  // Sr=K=16 (2), Sc=M=100 (13): 26 folds; the 160-byte filter fits a 512-byte half: one cold load.
  const NpuConfig config = scalesim_config(Dataflow::kInputStationary, 1);
  const LayerProgram p = lower_scalesim_layer(matmul(100, 10, 16), 0, config);
  const Totals t = totals(p);
  CHECK(t.filter_loads == 1);
  CHECK(t.filter_bytes == 160);
  CHECK(t.ifmap_bytes == 1600);
  check_program(p, config, {100, 10, 16});
}

TEST_CASE("scalesim lowering: grouped conv repeats its folds; pooling goes to the vector unit") {
  // 4 groups of a 3x3 conv on 6x6x1 -> 4x4 outputs: per group M=16, N=1, K=9; OS 8x8: 2 folds each.
  Operator conv;
  conv.name = "dw";
  conv.params = ConvParams{6, 6, 4, 4, 3, 3, 1, 1, 0, 0, 0, 0, 4};
  const LayerProgram p = lower_scalesim_layer(conv, 1, scalesim_config(Dataflow::kOutputStationary, 64));
  CHECK(totals(p).computes == 8);
  CHECK(p.mapping.folds == 8);

  Operator pool;
  pool.name = "pool";
  pool.kind = OpKind::kMaxPool;
  pool.params = PoolParams{8, 8, 16, 2, 2, 2, 2};
  const LayerProgram v = lower_scalesim_layer(pool, 2, scalesim_config(Dataflow::kOutputStationary, 64));
  REQUIRE(v.commands.size() == 1);
  CHECK(v.commands[0].kind == CommandKind::kVector);
  CHECK(v.commands[0].vector.elements == 4 * 4 * 16);
  CHECK(v.commands[0].vector.ops_per_element == 4);
  CHECK(v.mapping.unit == "vector");
}

}  // namespace npusim
