// Chip-to-chip links and collectives against their closed forms (issue 13): ring and tree all-reduce,
// reduce-scatter, all-gather, all-to-all and send/recv, routes per topology, contention on shared links.
#include <doctest/doctest.h>

#include <cstdint>
#include <vector>

#include "arch/spec/input_error.h"
#include "arch/spec/system_config.h"
#include "arch/timing/collectives.h"

namespace {

using npusim::ChipLinkFabric;
using npusim::CollectiveKind;
using npusim::SystemConfig;
using npusim::SystemTopology;

// 100 GB/s per direction = 10 ps per byte; 1 us latency per hop; no host overhead unless set.
SystemConfig system_of(uint32_t chips, SystemTopology topology, uint32_t ports = 2) {
  SystemConfig config;
  config.npu = "furiosa-rngd";
  config.chips = chips;
  config.topology = topology;
  config.link.bandwidth_gbytes_per_s = 100.0;
  config.link.ports = ports;
  config.link.latency_ns = 1000.0;
  return config;
}

std::vector<uint32_t> first_chips(uint32_t n) {
  std::vector<uint32_t> group;
  for (uint32_t i = 0; i < n; ++i) group.push_back(i);
  return group;
}

uint64_t time_one(SystemConfig config, CollectiveKind kind, uint32_t n, uint64_t bytes) {
  ChipLinkFabric fabric(config);
  return npusim::run_collectives(fabric, {npusim::collective_steps(kind, first_chips(n), bytes)}, 0);
}

}  // namespace

TEST_CASE("collectives: ring all-reduce is 2(N-1)/N S/B + 2(N-1) latency") {
  // S = 8 MB over N = 8 chips on a switch with one 100 GB/s port: 2*7/8 * 8e6 B * 10 ps/B = 140 us of
  // transfer, plus 2*7 = 14 latencies of 1 us: 154 us = 154e6 ps.
  CHECK(time_one(system_of(8, SystemTopology::kSwitch, 1), CollectiveKind::kAllReduceRing, 8, 8'000'000) ==
        154'000'000);
  // The same on a ring: each step's chunk goes to the next chip over its own link; two ports per chip,
  // one per neighbour, so 100 GB/s per direction to each.
  CHECK(time_one(system_of(8, SystemTopology::kRing), CollectiveKind::kAllReduceRing, 8, 8'000'000) ==
        154'000'000);
  // Host overhead 5 us per collective adds once.
  SystemConfig with_host = system_of(8, SystemTopology::kSwitch, 1);
  with_host.host_overhead_ns = 5000;
  CHECK(time_one(with_host, CollectiveKind::kAllReduceRing, 8, 8'000'000) == 159'000'000);
}

TEST_CASE("collectives: tree, reduce-scatter, all-gather, all-to-all and send/recv closed forms") {
  const SystemConfig sw = system_of(8, SystemTopology::kSwitch, 1);
  // Recursive halving-doubling: 2 * 7/8 * 8e6 * 10 ps + 2 * log2(8) = 6 latencies: 140 + 6 = 146 us.
  CHECK(time_one(sw, CollectiveKind::kAllReduceTree, 8, 8'000'000) == 146'000'000);
  // Reduce-scatter and all-gather: half a ring all-reduce, 7 * (1e6 * 10 ps + 1 us) = 77 us.
  CHECK(time_one(sw, CollectiveKind::kReduceScatter, 8, 8'000'000) == 77'000'000);
  CHECK(time_one(sw, CollectiveKind::kAllGather, 8, 8'000'000) == 77'000'000);
  // All-to-all on a switch: each uplink carries 7 chunks of 1 MB one after another: 70 us + 1 us.
  CHECK(time_one(sw, CollectiveKind::kAllToAll, 8, 8'000'000) == 71'000'000);
  // Fully connected (7 ports, one per peer): the 7 chunks go in parallel: 10 us + 1 us.
  CHECK(time_one(system_of(8, SystemTopology::kFullyConnected, 7), CollectiveKind::kAllToAll, 8, 8'000'000) ==
        11'000'000);
  // Send/recv of 1 MB: 10 us + 1 us.
  CHECK(time_one(sw, CollectiveKind::kSendRecv, 2, 1'000'000) == 11'000'000);
}

TEST_CASE("collectives: routes and contention on shared links") {
  // On an 8-chip ring, chip 0 to chip 3 goes clockwise over 3 links and pays 3 latencies:
  // 1 MB * 10 ps cut-through = 10 us + 3 us.
  ChipLinkFabric ring(system_of(8, SystemTopology::kRing));
  CHECK(ring.route(0, 3).size() == 3);
  CHECK(ring.route(0, 6).size() == 2);  // counter-clockwise is shorter
  CHECK(ring.transfer(0, 3, 1'000'000, 0) == 13'000'000);
  // Two 4-chip ring all-reduces on one 8-chip ring: groups {0..3} and {4..7} close their rings over
  // 3-hop paths (3->0 and 7->4 counter-clockwise) that share no link with each other, but each
  // group's closing path shares links with its own forward steps, so each takes longer than alone.
  const uint64_t bytes = 4'000'000;
  ChipLinkFabric alone(system_of(8, SystemTopology::kRing));
  const uint64_t one = npusim::run_collectives(
      alone, {npusim::collective_steps(CollectiveKind::kAllReduceRing, {0, 1, 2, 3}, bytes)}, 0);
  // 6 steps of 1 MB: the closing transfer 3->0 (3 hops, links 3->2, 2->1, 1->0) competes with nothing
  // going counter-clockwise, so each step is 10 us + 3 latencies = 13 us: 78 us.
  CHECK(one == 78'000'000);
  // On a switch, two groups of 4 use disjoint ports: each as fast as alone, 6 * (10 + 1) = 66 us.
  ChipLinkFabric sw(system_of(8, SystemTopology::kSwitch, 1));
  const uint64_t both = npusim::run_collectives(
      sw,
      {npusim::collective_steps(CollectiveKind::kAllReduceRing, {0, 1, 2, 3}, bytes),
       npusim::collective_steps(CollectiveKind::kAllReduceRing, {4, 5, 6, 7}, bytes)},
      0);
  CHECK(both == 66'000'000);
  // A group interleaved over a ring ({0, 2, 4, 6}: every transfer 2 hops of 2 MB) alone takes
  // 6 * (20 us + 2 us) = 132 us. With {1, 3, 5, 7} beside it every clockwise link carries 6 chunks of
  // each group, 12 * 20 us = 240 us of busy time: together they take at least that, and no more than
  // the two one after the other (264 us).
  const auto interleaved = [&](bool with_other) {
    ChipLinkFabric fabric(system_of(8, SystemTopology::kRing));
    std::vector<npusim::CollectiveSteps> groups{
        npusim::collective_steps(CollectiveKind::kAllReduceRing, {0, 2, 4, 6}, 8'000'000)};
    if (with_other) groups.push_back(npusim::collective_steps(CollectiveKind::kAllReduceRing, {1, 3, 5, 7}, 8'000'000));
    return npusim::run_collectives(fabric, groups, 0);
  };
  CHECK(interleaved(false) == 132'000'000);
  const uint64_t together = interleaved(true);
  CHECK(together >= 240'000'000);
  CHECK(together <= 264'000'000);
  ChipLinkFabric shared(system_of(8, SystemTopology::kRing));
  // 1 MB over 3 hops at 10 pJ/bit: 3 * 8e6 bits * 10 pJ = 240 uJ.
  shared.transfer(0, 3, 1'000'000, 0);
  CHECK(shared.energy_pj() == doctest::Approx(240e6));
}

TEST_CASE("system config: topology must connect every chip with the ports it has") {
  const auto parse = [](const nlohmann::json& doc) { return npusim::parse_system_config(doc, "sys.json"); };
  nlohmann::json doc = {{"npu", "furiosa-rngd"}, {"chips", 8}, {"topology", "ring"}, {"link", {{"ports", 1}}}};
  CHECK_THROWS_WITH_AS(parse(doc), doctest::Contains("sys.json: system.link.ports: a ring of 8 chips needs at least 2"),
                       npusim::InputError);
  doc["topology"] = "fully_connected";
  doc["link"]["ports"] = 4;
  CHECK_THROWS_WITH_AS(parse(doc), doctest::Contains("needs at least 7 ports"), npusim::InputError);
  doc["topology"] = "torus";
  CHECK_THROWS_AS(parse(doc), npusim::InputError);
  doc["topology"] = "switch";
  doc["gpu"] = "h100-sxm5";
  CHECK_THROWS_WITH_AS(parse(doc), doctest::Contains("system.npu: expected exactly one"), npusim::InputError);
  doc.erase("gpu");
  CHECK(parse(doc).chips == 8);
}
