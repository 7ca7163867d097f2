// Multi-core mapping without SystemC: how extents are dealt out, what each split's parts look like,
// which split the estimate picks, and global-SRAM placement of activations.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "arch/isa/command_builders.h"
#include "tests/support/test_ops.h"
#include "workloads/mapper/core_partition.h"
#include "workloads/mapper/mapper.h"

using namespace npusim;
using npusim_test::add_op;
using npusim_test::attention_op;
using npusim_test::conv_op;

namespace {

Operator fc_op(uint64_t m, uint64_t n, uint64_t k, uint32_t batch = 1) {
  Operator op = npusim_test::fc_op("fc", m, n, k);
  op.batch = batch;
  return op;
}

// 4 cores of 32x32 weight-stationary int8 arrays at 1 GHz, 16 MiB SRAM and a 256 B/cycle DMA port
// each, on an ideal NoC; DRAM 1000 GB/s = 1000 B/cycle unless given.
NpuConfig four_cores(double dram_gbytes_per_s = 1000.0) {
  NpuConfig config;
  config.cores = 4;
  config.noc.topology = IdealNocConfig{};
  config.sram.capacity_bytes = 16 * kMiB;
  config.dram.bandwidth_gbytes_per_s = dram_gbytes_per_s;
  config.dram.channels = 4;
  config.dma.bytes_per_cycle = 256;
  config.noc.dram_nodes = {0, 1, 2, 3};
  return config;
}

// A copy, not a pointer: callers often pass the temporary vector partition_candidates returns.
std::optional<CorePartition> find(const std::vector<CorePartition>& candidates, SplitKind kind, size_t parts) {
  for (const auto& c : candidates) {
    if (c.kind == kind && c.parts.size() == parts) return c;
  }
  return std::nullopt;
}

uint64_t total_macs(const CorePartition& partition) {
  uint64_t macs = 0;
  for (const Operator& part : partition.parts) macs += op_macs(part);
  return macs;
}

}  // namespace

TEST_CASE("partition: extents are dealt out in aligned units, first parts taking the extra unit") {
  using Ranges = std::vector<std::pair<uint64_t, uint64_t>>;
  // 10 rows over 4 cores: units of 1, 10 = 3 + 3 + 2 + 2.
  CHECK(split_extent(10, 4, 1) == Ranges{{0, 3}, {3, 6}, {6, 8}, {8, 10}});
  // N = 100 in units of 32 (the array width): 4 units (32, 32, 32, 4) over 4 cores.
  CHECK(split_extent(100, 4, 32) == Ranges{{0, 32}, {32, 64}, {64, 96}, {96, 100}});
  // N = 64 in units of 32: only 2 units, so only 2 cores get work.
  CHECK(split_extent(64, 4, 32) == Ranges{{0, 32}, {32, 64}});
  // 1 row cannot be split.
  CHECK(split_extent(1, 4, 1).size() == 1);
}

TEST_CASE("partition: a conv band of output rows reads its rows plus the halo, padding only at the edges") {
  // 3x3 stride 1 pad 1 on 56 rows: 56 output rows over 4 cores = 14 each.
  const Operator op = conv_op("conv", 56, 64, 64, 3, 1, 1);
  const auto candidates = partition_candidates(op, four_cores());
  const std::optional<CorePartition> m = find(candidates, SplitKind::kM, 4);
  REQUIRE(m != std::nullopt);
  // Core 0: output rows 0..13 read input rows -1..14 -> rows 0..14 (15) and one padding row on top.
  const auto& first = std::get<ConvParams>(m->parts[0].params);
  CHECK(first.in_h == 15);
  CHECK(first.pad_top == 1);
  CHECK(first.pad_bottom == 0);
  // Core 1: output rows 14..27 read input rows 13..28 (16 rows), no padding.
  const auto& second = std::get<ConvParams>(m->parts[1].params);
  CHECK(second.in_h == 16);
  CHECK(second.pad_top == 0);
  CHECK(second.pad_bottom == 0);
  // Core 3: output rows 42..55 read 41..56 -> 41..55 (15 rows) and one padding row at the bottom.
  const auto& last = std::get<ConvParams>(m->parts[3].params);
  CHECK(last.in_h == 15);
  CHECK(last.pad_bottom == 1);
  for (const Operator& part : m->parts) CHECK(conv_out_h(std::get<ConvParams>(part.params)) == 14);
  // Every split computes the operator's MACs exactly once.
  for (const auto& candidate : candidates) {
    CAPTURE(split_kind_name(candidate.kind));
    CHECK(total_macs(candidate) == op_macs(op));
  }
  // A stride-2 7x7 conv (ResNet conv1): 112 output rows, core 1 = rows 28..55 reads input rows
  // 28*2-3 = 53 .. 55*2-3+7 = 114 (exclusive): 61 rows, unpadded.
  const Operator conv1 = conv_op("conv", 224, 3, 64, 7, 2, 3);
  const std::optional<CorePartition> bands = find(partition_candidates(conv1, four_cores()), SplitKind::kM, 4);
  REQUIRE(bands != std::nullopt);
  CHECK(std::get<ConvParams>(bands->parts[1].params).in_h == 61);
  CHECK(std::get<ConvParams>(bands->parts[1].params).pad_top == 0);
}

TEST_CASE("partition: candidates per operator kind") {
  const NpuConfig config = four_cores();
  // Depthwise: channel split keeps every part depthwise (at least 2 channels each).
  const std::optional<CorePartition> dw =
      find(partition_candidates(conv_op("conv", 28, 32, 32, 3, 1, 1, 32), config), SplitKind::kN, 4);
  REQUIRE(dw != std::nullopt);
  for (const Operator& part : dw->parts) CHECK(is_depthwise(std::get<ConvParams>(part.params)));
  // Grouped conv: whole groups per core.
  const std::optional<CorePartition> grouped =
      find(partition_candidates(conv_op("conv", 28, 64, 128, 3, 1, 1, 8), config), SplitKind::kGroups, 4);
  REQUIRE(grouped != std::nullopt);
  CHECK(std::get<ConvParams>(grouped->parts[0].params).groups == 2);
  CHECK(std::get<ConvParams>(grouped->parts[0].params).in_c == 16);
  CHECK(std::get<ConvParams>(grouped->parts[0].params).out_c == 32);
  // FC with batch 8: the batch is rows of A, so it is split as M (batch 1, m = 2 per core).
  const auto fc = partition_candidates(fc_op(1, 1000, 2048, 8), config);
  const std::optional<CorePartition> rows = find(fc, SplitKind::kM, 4);
  REQUIRE(rows != std::nullopt);
  CHECK(rows->parts[0].batch == 1);
  CHECK(std::get<MatMulParams>(rows->parts[0].params).m == 2);
  CHECK(find(fc, SplitKind::kBatch, 4) == std::nullopt);
  // Candidates on 4, then 2 cores; the whole operator on one core comes first.
  CHECK(fc.front().kind == SplitKind::kNone);
  CHECK(find(fc, SplitKind::kN, 2) != std::nullopt);
  // One core: nothing to split.
  NpuConfig one = config;
  one.cores = 1;
  CHECK(partition_candidates(fc_op(1, 1000, 2048, 8), one).size() == 1);
}

TEST_CASE("partition: a batch-1 FC (one row) splits its output columns") {
  // M = 1 cannot be split; N = 1000 in units of 32 -> 32 units, 8 per core (256, 256, 256, 232).
  // On one core the 2 MB of weights stream through one 256 B/cycle DMA port (~8000 cycles); split,
  // each core moves a quarter (~2000) and the DRAM (1000 B/cycle) carries all of it in ~2000.
  const Operator op = fc_op(1, 1000, 2048);
  const LayerProgram program = map_operator_on_cores(op, 0, four_cores());
  CHECK(program.mapping.split == "n");
  CHECK(program.mapping.cores_used == 4);
  REQUIRE(program.streams() == 4);
  CHECK(program.macs == 1000 * 2048);
  // Weights are split: 2048 * 1000 bytes over all cores plus the 2048-byte input on each of 4 cores.
  CHECK(program.mapping.planned_dram_read_bytes == 2048 * 1000 + 4 * 2048);
}

TEST_CASE("partition: a big compute-bound GEMM uses every core; one core maps exactly as map_operator") {
  const Operator op = fc_op(1024, 1024, 1024);
  const LayerProgram split = map_operator_on_cores(op, 0, four_cores());
  CHECK(split.mapping.cores_used == 4);
  CHECK(split.mapping.split != "none");
  uint64_t macs = 0;
  for (uint32_t core = 0; core < split.streams(); ++core) {
    for (const Command& c : split.stream(core).commands) {
      if (c.kind == CommandKind::kCompute) macs += uint64_t{c.tile.m} * c.tile.n * c.tile.k;
    }
  }
  CHECK(macs == 1024ull * 1024 * 1024);
  NpuConfig one = four_cores();
  one.cores = 1;
  const LayerProgram whole = map_operator_on_cores(op, 0, one);
  const LayerProgram reference = map_operator(op, 0, one);
  CHECK(whole.streams() == 1);
  CHECK(whole.mapping.split == "none");
  CHECK(whole.commands.size() == reference.commands.size());
  CHECK(whole.mapping.planned_dram_read_bytes == reference.mapping.planned_dram_read_bytes);
}

TEST_CASE("partition: the estimate is the slowest core or all DRAM bytes over the DRAM bandwidth") {
  NpuConfig config = four_cores(100.0);  // 100 B/cycle at 1 GHz
  config.array.overlap_folds = false;
  config.dma.setup_cycles = 0;
  config.dram.latency_ns = 0.0;
  CommandStream a, b;
  const Command load = dma_load_command(BufferKind::kInput, 10000);
  a.add(load, {});
  b.add(load, {});
  // Both cores load at once; the DRAM serves one transfer after the other at 100 B/cycle (core 0's
  // first, as the model's arbiter ranks them): core 0 done at 100, core 1 at 200 (= 20000 B / 100 B/cycle).
  const PartitionEstimate both = estimate_streams({&a, &b}, config, DType::kInt8);
  CHECK(both.dram_bytes == 20000);
  CHECK(both.cycles == doctest::Approx(200.0));
  // WS 32x32, one fold: T + 2H + W - 2 = 1024 + 64 + 32 - 2 = 1118 cycles.
  a.add(compute_command(ComputeTile{1024, 32, 32}), {0});
  // Core a's one tile serialises: its load is exposed (100 cycles, served first), then the compute
  // (1118); no store, no latency: 1218 > 200 of shared DRAM.
  CHECK(estimate_streams({&a, &b}, config, DType::kInt8).cycles == doctest::Approx(100.0 + 1118.0));
}

TEST_CASE("partition: with a global SRAM, activations that fit stay on chip between layers") {
  Workload workload;
  workload.name = "chain";
  workload.ops.push_back(add_op(64 * 1024, {}));   // op 0: reads DRAM, 64 KiB out
  workload.ops.push_back(add_op(64 * 1024, {0}));  // op 1: reads op 0
  workload.ops.push_back(add_op(64 * 1024, {1}));  // op 2: reads op 1, network output
  NpuConfig config;
  config.global_sram.capacity_bytes = 256 * kKiB;
  const std::vector<LayerProgram> programs = map_workload(workload, config);
  const auto bytes = [](const LayerProgram& p, CommandKind kind, MemoryKind memory) {
    Bytes total = 0;
    for (const Command& c : p.commands) {
      if (c.kind == kind && c.memory == memory) total += c.bytes;
    }
    return total;
  };
  // op 0's output (64 KiB) fits: stored to the global SRAM.
  CHECK(bytes(programs[0], CommandKind::kDmaStore, MemoryKind::kGlobalSram) == 64 * kKiB);
  CHECK(bytes(programs[0], CommandKind::kDmaLoad, MemoryKind::kGlobalSram) == 0);
  // op 1 has two inputs declared per element (inputs = 2) but one producer: half of its 128 KiB of
  // input loads come from the global SRAM, and its output stays there too.
  CHECK(bytes(programs[1], CommandKind::kDmaLoad, MemoryKind::kGlobalSram) == 64 * kKiB);
  CHECK(bytes(programs[1], CommandKind::kDmaStore, MemoryKind::kGlobalSram) == 64 * kKiB);
  // op 2 is the network's output: written to DRAM.
  CHECK(bytes(programs[2], CommandKind::kDmaStore, MemoryKind::kGlobalSram) == 0);
  CHECK(bytes(programs[2], CommandKind::kDmaStore, MemoryKind::kDram) == 64 * kKiB);
  // Without a global SRAM nothing moves.
  config.global_sram.capacity_bytes = 0;
  for (const LayerProgram& p : map_workload(workload, config)) {
    CHECK(bytes(p, CommandKind::kDmaLoad, MemoryKind::kGlobalSram) == 0);
    CHECK(bytes(p, CommandKind::kDmaStore, MemoryKind::kGlobalSram) == 0);
  }
}

TEST_CASE("partition: attention splits whole K/V heads with their query heads") {
  // Grouped-query attention, 32 query heads over 8 K/V heads (4 per group): on 4 cores each core
  // gets 2 K/V heads and their 8 query heads.
  const Operator op = attention_op(32, 8, 128, 1, 511, false, false, true, DType::kInt8);
  const std::optional<CorePartition> heads = find(partition_candidates(op, four_cores()), SplitKind::kHeads, 4);
  REQUIRE(heads != std::nullopt);
  for (const Operator& part : heads->parts) {
    CHECK(std::get<AttentionParams>(part.params).kv_heads == 2);
    CHECK(std::get<AttentionParams>(part.params).heads == 8);
  }
  CHECK(std::string(split_kind_name(SplitKind::kHeads)) == "heads");
}
