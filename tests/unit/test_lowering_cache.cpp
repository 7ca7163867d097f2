// Work the mapper avoids without changing its answer: programs kept across the workloads of a run (the
// lowering cache), and candidate estimates stopped once the candidate has lost (the cutoff).
#include <doctest/doctest.h>

#include <limits>

#include "arch/isa/command_builders.h"
#include "tests/support/test_ops.h"
#include "workloads/mapper/choose_best.h"
#include "workloads/mapper/lowering_cache.h"
#include "workloads/mapper/mapper.h"
#include "workloads/mapper/stream_schedule.h"

using namespace npusim;
using npusim_test::fc_op;

namespace {

// A program of `commands` sync commands, named `name`.
LayerProgram program_of(size_t commands, const std::string& name) {
  LayerProgram program;
  program.name = name;
  for (size_t i = 0; i < commands; ++i) program.add(sync_command(), {});
  return program;
}

bool same_streams(const LayerProgram& a, const LayerProgram& b) {
  if (a.commands.size() != b.commands.size() || a.deps != b.deps) return false;
  for (size_t i = 0; i < a.commands.size(); ++i) {
    const Command &x = a.commands[i], &y = b.commands[i];
    if (x.kind != y.kind || x.bytes != y.bytes || x.tile.m != y.tile.m || x.tile.n != y.tile.n ||
        x.tile.k != y.tile.k || x.dep_begin != y.dep_begin || x.dep_count != y.dep_count) {
      return false;
    }
  }
  return true;
}

}  // namespace

TEST_CASE("lowering cache: an operator that lowers alike finds the kept program, another shape does not") {
  LoweringCache cache;
  cache.keep(fc_op("a", 8, 64, 64), program_of(3, "a"));
  const LayerProgram* found = cache.find(fc_op("renamed", 8, 64, 64));
  REQUIRE(found != nullptr);
  CHECK(found->commands.size() == 3);
  CHECK(cache.find(fc_op("a", 16, 64, 64)) == nullptr);                  // another M
  CHECK(cache.find(fc_op("a", 8, 64, 64, DType::kBf16)) == nullptr);     // another operand type
  CHECK(cache.hits() == 1);
}

TEST_CASE("lowering cache: the command budget evicts the oldest programs, a program over it is not kept") {
  LoweringCache cache(10);
  cache.keep(fc_op("a", 1, 64, 64), program_of(6, "a"));
  cache.keep(fc_op("b", 2, 64, 64), program_of(4, "b"));  // 6 + 4 = 10: both fit
  CHECK(cache.size() == 2);
  cache.keep(fc_op("c", 3, 64, 64), program_of(5, "c"));  // 15 > 10: the oldest (a) goes
  CHECK(cache.size() == 2);
  CHECK(cache.find(fc_op("a", 1, 64, 64)) == nullptr);
  CHECK(cache.find(fc_op("b", 2, 64, 64)) != nullptr);
  cache.keep(fc_op("d", 4, 64, 64), program_of(11, "d"));  // alone over the budget
  CHECK(cache.find(fc_op("d", 4, 64, 64)) == nullptr);
  CHECK(cache.size() == 2);
}

TEST_CASE("lowering cache: a workload mapped with programs kept from another is mapped as without them") {
  NpuConfig config;
  const Workload first{"first", "test", {fc_op("fc1", 64, 512, 256), fc_op("fc2", 64, 256, 512)}};
  const Workload second{"second", "test", {fc_op("other", 64, 256, 512), fc_op("new", 32, 256, 512)}};
  LoweringCache cache;
  map_workload(first, config, &cache);
  const std::vector<LayerProgram> cached = map_workload(second, config, &cache);
  const std::vector<LayerProgram> fresh = map_workload(second, config);
  CHECK(cache.hits() == 1);  // "other" is fc2's shape; "new" is not
  REQUIRE(cached.size() == fresh.size());
  for (size_t i = 0; i < fresh.size(); ++i) {
    CHECK(cached[i].name == fresh[i].name);
    CHECK(cached[i].op_index == fresh[i].op_index);
    CHECK(same_streams(cached[i], fresh[i]));
    CHECK(cached[i].mapping.estimated_cycles == fresh[i].mapping.estimated_cycles);
  }
}

TEST_CASE("schedule cutoff: past the cutoff the estimate reads infinity, short of it the estimate is exact") {
  NpuConfig config;
  CommandStream s;
  const uint32_t load = s.add(dma_load_command(BufferKind::kInput, 4096), {});
  const uint32_t tile = s.add(compute_command(ComputeTile{64, 32, 32}), {load});
  s.add(dma_store_command(2048), {tile});
  CoreMemoryRates rates;
  rates.dram_bytes_per_cycle = 16.0;
  const ArrayShape array{32, 32};
  const double full = schedule_streams_cycles({&s}, config, array, DType::kInt8, {rates}).front();
  REQUIRE(full > 256.0);  // 4096 B at 16 B/cycle before the tile starts
  CHECK(schedule_streams_cycles({&s}, config, array, DType::kInt8, {rates}, full * 1.01).front() == full);
  CHECK(schedule_streams_cycles({&s}, config, array, DType::kInt8, {rates}, full * 0.5).front() ==
        std::numeric_limits<double>::infinity());
}

TEST_CASE("choose_best: a candidate loses on time alone past the best's time plus the tolerance") {
  struct Candidate {
    double cycles = 0.0;
    Bytes dram_bytes = 0;
  };
  auto chooser = choose_best<Candidate>(RankBy{MapperObjective::kLatency, [](Candidate& c) { return c.cycles; },
                                               [](Candidate& c) { return c.dram_bytes; },
                                               [](Candidate&, Candidate&) { return false; }});
  CHECK(chooser.losing_time_cycles() == std::numeric_limits<double>::infinity());
  chooser.offer({1000.0, 100});
  const double cutoff = chooser.losing_time_cycles();
  // 1005 is within 0.5% of 1000 and may still win on bytes; just past the cutoff it cannot.
  CHECK(cutoff > 1005.0);
  CHECK(cutoff < 1005.001);
  chooser.offer({cutoff * 1.000001, 1});
  CHECK(chooser.best().dram_bytes == 100);
  auto traffic = choose_best<Candidate>(RankBy{MapperObjective::kTraffic, kNoTimeEstimate,
                                               [](Candidate& c) { return c.dram_bytes; },
                                               [](Candidate&, Candidate&) { return false; }});
  traffic.offer({1000.0, 100});
  CHECK(traffic.losing_time_cycles() == std::numeric_limits<double>::infinity());  // time does not rank
}
