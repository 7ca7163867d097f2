// The mapper's shared pieces: the choose_best rule, array alignment, and the stream emitter's and
// mapping sum's accounting.
#include <doctest/doctest.h>

#include <optional>
#include <vector>

#include "arch/isa/command_builders.h"
#include "workloads/mapper/choose_best.h"
#include "workloads/mapper/hardware_limits.h"
#include "workloads/mapper/program_builder.h"

namespace npusim {
namespace {

struct Candidate {
  int id = 0;
  double cycles = 0.0;
  Bytes dram_bytes = 0;
  int tie = 0;  // smaller goes first
};

// Picks among `candidates`, offered in order, under `objective`.
int chosen(MapperObjective objective, const std::vector<Candidate>& candidates) {
  auto chooser = choose_best<Candidate>(RankBy{objective, [](Candidate& c) { return c.cycles; },
                                               [](Candidate& c) { return c.dram_bytes; },
                                               [](Candidate& a, Candidate& b) { return a.tie < b.tie; }});
  for (const Candidate& c : candidates) chooser.offer(c);
  return chooser.best().id;
}

}  // namespace

TEST_CASE("choose_best: clearly faster wins, about as fast goes by traffic, then the tie-break") {
  // 1000 vs 1030 cycles: 30 > 0.5% of 1000 = 5, so the faster wins although it moves more bytes.
  CHECK(chosen(MapperObjective::kLatency, {{1, 1030.0, 100, 0}, {2, 1000.0, 500, 0}}) == 2);
  // 1000 vs 1004 cycles: 4 <= 5, about as fast: the fewer DRAM bytes win.
  CHECK(chosen(MapperObjective::kLatency, {{1, 1000.0, 500, 0}, {2, 1004.0, 100, 0}}) == 2);
  // Equal time and bytes: the tie-break, then the earlier candidate.
  CHECK(chosen(MapperObjective::kLatency, {{1, 1000.0, 100, 1}, {2, 1000.0, 100, 0}}) == 2);
  CHECK(chosen(MapperObjective::kLatency, {{1, 1000.0, 100, 0}, {2, 1000.0, 100, 0}}) == 1);
  // The traffic objective skips the time: the 2x slower candidate wins on bytes.
  CHECK(chosen(MapperObjective::kTraffic, {{1, 1000.0, 500, 0}, {2, 2000.0, 100, 0}}) == 2);
}

TEST_CASE("choose_best: offer hands back the candidate it does not keep, for its buffers") {
  auto chooser = choose_best<Candidate>(RankBy{MapperObjective::kLatency, [](Candidate& c) { return c.cycles; },
                                               [](Candidate& c) { return c.dram_bytes; },
                                               [](Candidate&, Candidate&) { return false; }});
  CHECK_FALSE(chooser.offer({1, 1000.0, 100, 0}).has_value());  // the first is kept
  const std::optional<Candidate> slower = chooser.offer({2, 2000.0, 100, 0});
  REQUIRE(slower.has_value());
  CHECK(slower->id == 2);  // the offered one lost
  const std::optional<Candidate> displaced = chooser.offer({3, 500.0, 100, 0});
  REQUIRE(displaced.has_value());
  CHECK(displaced->id == 1);  // the offered one won: the old best comes back
  CHECK(chooser.best().id == 3);
}

TEST_CASE("reuse_buffers: the receiver gets the buffers emptied, with their capacity") {
  CommandStream used;
  used.add(sync_command(), {});
  for (uint32_t i = 1; i < 100; ++i) used.add(sync_command(), {i - 1});
  CommandStream fresh;
  reuse_buffers(used, fresh);
  CHECK(fresh.commands.empty());
  CHECK(fresh.deps.empty());
  CHECK(fresh.commands.capacity() >= 100);
  CHECK(fresh.deps.capacity() >= 99);
  CHECK(used.commands.empty());
  // What is emitted into the reused buffers is numbered from zero, as in a new stream.
  CHECK(fresh.add(sync_command(), {}) == 0);
}

TEST_CASE("choose_best: the tolerance is relative to the smaller estimate") {
  CHECK_FALSE(clearly_different_times(100.0, 100.5));  // 0.5 is not more than 0.5% of 100
  CHECK(clearly_different_times(100.0, 100.6));
  CHECK(clearly_different_times(10000.0, 10201.0));  // 201 > 200
}

TEST_CASE("array alignment: the dimensions on the array's sides, 1 for the one streamed in time") {
  ArrayConfig array;
  array.rows = 16;
  array.cols = 8;
  // WS maps K on rows and N on columns (M streams); OS M on rows, N on columns; IS K on rows, M on columns.
  array.dataflow = Dataflow::kWeightStationary;
  const ArrayAlignment ws = array_alignment(array);
  CHECK((ws.m == 1 && ws.n == 8 && ws.k == 16));
  array.dataflow = Dataflow::kOutputStationary;
  const ArrayAlignment os = array_alignment(array);
  CHECK((os.m == 16 && os.n == 8 && os.k == 1));
  array.dataflow = Dataflow::kInputStationary;
  const ArrayAlignment is = array_alignment(array);
  CHECK((is.m == 8 && is.n == 1 && is.k == 16));
}

TEST_CASE("stream emitter: folds, PE use and DMA bytes of what it emits") {
  ArrayConfig array;  // 32x32 weight stationary: K on rows, N on columns
  array.rows = array.cols = 32;
  array.dataflow = Dataflow::kWeightStationary;
  CommandStream stream;
  StreamEmitter emit(stream, array);
  DoubleBuffer slots;
  const uint32_t a = emit.load_into(slots, BufferKind::kInput, 1000);
  const uint32_t b = emit.load(BufferKind::kWeight, 500, a);
  // K=48 on 32 rows: 2 row folds; N=32: 1 column fold. PEs used: 48 * 32 of 2 * 1024 allocated.
  const uint32_t c = emit.compute(64, 32, 48, {a, b});
  slots.read_by(c);
  emit.store(256, c);
  // Refilling the first slot (two fills later) waits for its reader, the compute.
  emit.load_into(slots, BufferKind::kInput, 10);
  const uint32_t refill = emit.load_into(slots, BufferKind::kInput, 10);
  CHECK(stream.commands.size() == 6);
  CHECK(stream.commands[refill].dep_count == 1);
  CHECK(stream.deps[stream.commands[refill].dep_begin] == c);
  CHECK(emit.compute_tiles() == 1);
  CHECK(emit.folds() == 2);
  CHECK(emit.mapping_efficiency() == doctest::Approx(48.0 * 32.0 / (2.0 * 1024.0)));
  CHECK(emit.loaded_bytes() == 1000 + 500 + 10 + 10);
  CHECK(emit.stored_bytes() == 256);
  // Shapes that alternate are each counted as themselves: K=16 is one fold of 16 * 32 PEs, then K=48
  // again two folds of 48 * 32.
  emit.compute(64, 32, 16, {});
  emit.compute(64, 32, 48, {});
  CHECK(emit.compute_tiles() == 3);
  CHECK(emit.folds() == 2 + 1 + 2);
  CHECK(emit.mapping_efficiency() == doctest::Approx((2 * 48.0 * 32.0 + 16.0 * 32.0) / (5.0 * 1024.0)));
}

TEST_CASE("mapping sum: totals add, the footprint is the largest, efficiency is fold-weighted") {
  LayerMapping first, second;
  first.tiles = 3;
  first.folds = 10;
  first.mapping_efficiency = 1.0;
  first.planned_dram_read_bytes = 100;
  first.sram_footprint_bytes = 4096;
  second.tiles = 5;
  second.folds = 30;
  second.mapping_efficiency = 0.5;
  second.planned_dram_write_bytes = 40;
  second.sram_footprint_bytes = 1024;
  MappingSum sum;
  sum.add(first);
  sum.add(second, false);  // its tiles are not the layer's (e.g. a vector phase)
  LayerMapping total;
  sum.fill(total);
  CHECK(total.tiles == 3);
  CHECK(total.folds == 40);
  // (10 * 1.0 + 30 * 0.5) / 40 = 25 / 40.
  CHECK(total.mapping_efficiency == doctest::Approx(25.0 / 40.0));
  CHECK(total.planned_dram_read_bytes == 100);
  CHECK(total.planned_dram_write_bytes == 40);
  CHECK(total.sram_footprint_bytes == 4096);
}

}  // namespace npusim
