// NoC without SystemC: routes and hop counts per topology, link reservations (latency, contention),
// and the npu.noc / npu.cores config checks with their field paths.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "arch/spec/input_error.h"
#include "arch/spec/npu_config_parse.h"
#include "arch/timing/noc_network.h"
#include "arch/timing/noc_topology.h"
#include "tests/support/input_error_of.h"

using namespace npusim;
using namespace npusim_test;
using nlohmann::json;

namespace {

NocConfig mesh_config(uint32_t rows, uint32_t cols) {
  NocConfig noc;
  noc.topology = MeshNocConfig{rows, cols};
  noc.link_bytes_per_cycle = 16;
  noc.hop_latency_cycles = 3;
  noc.flit_bytes = 32;
  return noc;
}

std::string error_of(const json& document) {
  return input_error_of([&] { parse_npu_config(document, "x.json"); });
}

}  // namespace

TEST_CASE("noc: XY routes on a 4x4 mesh go along the row first, hops = |dcol| + |drow|") {
  const MeshNoc mesh(4, 4);
  std::vector<uint32_t> links;
  // Node id = row * 4 + col. 0 = (0,0) to 15 = (3,3): 3 hops east, then 3 south.
  mesh.route(0, 15, links);
  REQUIRE(links.size() == 6);
  CHECK(mesh.link_name(links[0]) == "(0,0)->(0,1)");
  CHECK(mesh.link_name(links[2]) == "(0,2)->(0,3)");
  CHECK(mesh.link_name(links[3]) == "(0,3)->(1,3)");
  CHECK(mesh.link_name(links[5]) == "(2,3)->(3,3)");
  // 13 = (3,1) to 6 = (1,2): 1 east, 2 north = 3 hops; the reverse takes a different path (Y last).
  const NocTopology topology = MeshNoc(4, 4);
  CHECK(noc_hops(topology, 13, 6) == 3);
  mesh.route(6, 13, links);
  CHECK(mesh.link_name(links[0]) == "(1,2)->(1,1)");
  CHECK(noc_hops(topology, 5, 5) == 0);
  CHECK(noc_hops(topology, 3, 12) == 6);
  // 4x4 mesh: 2 * (3 * 4) horizontal + 2 * (3 * 4) vertical = 48 directed links.
  uint32_t existing = 0;
  for (uint32_t l = 0; l < mesh.link_slots(); ++l) existing += mesh.link_exists(l) ? 1 : 0;
  CHECK(existing == 48);
}

TEST_CASE("noc: ring takes the shorter way round, clockwise on a tie; crossbar is one hop") {
  const NocTopology ring = RingNoc(8);
  CHECK(noc_hops(ring, 0, 3) == 3);  // clockwise 3 vs 5
  CHECK(noc_hops(ring, 0, 6) == 2);  // counter-clockwise 2 vs 6
  CHECK(noc_hops(ring, 0, 4) == 4);  // tie
  std::vector<uint32_t> links;
  noc_route(ring, 0, 4, links);
  CHECK(noc_link_name(ring, links.front()) == "0->1");
  noc_route(ring, 1, 7, links);
  CHECK(noc_link_name(ring, links.front()) == "1->0");
  const NocTopology crossbar = CrossbarNoc(6);
  CHECK(noc_hops(crossbar, 1, 5) == 1);
  noc_route(crossbar, 1, 5, links);
  REQUIRE(links.size() == 2);
  CHECK(noc_link_name(crossbar, links[0]) == "1->xbar");
  CHECK(noc_link_name(crossbar, links[1]) == "xbar->5");
  CHECK(noc_hops(IdealNoc(4), 0, 3) == 0);
}

TEST_CASE("noc: the factory builds the configured kind") {
  NocConfig noc = mesh_config(2, 3);
  CHECK(std::holds_alternative<MeshNoc>(make_noc_topology(noc, 6)));
  CHECK(noc_nodes(make_noc_topology(noc, 6)) == 6);
  noc.topology = RingNocConfig{5};
  CHECK(noc_nodes(make_noc_topology(noc, 4)) == 5);
  noc.topology = CrossbarNocConfig{};
  CHECK(noc_nodes(make_noc_topology(noc, 4)) == 4);  // 0 = one node per core
  noc.topology = IdealNocConfig{};
  CHECK(std::holds_alternative<IdealNoc>(make_noc_topology(noc, 4)));
}

TEST_CASE("noc: one transfer takes hops x hop latency + size / link bandwidth") {
  NocNetwork network(mesh_config(4, 4), 16);
  // (0,0) -> (3,3): 6 hops. 1000 B at 16 B/cycle: ceil(1000/16) = 63 cycles on each link (cut-through:
  // all links stream together), + 6 * 3 = 18 cycles of router latency. Started at 100: done at 181.
  const NocTransfer t = network.transfer(100, 0, 15, 1000);
  CHECK(t.hops == 6);
  CHECK(t.links_end == 100 + 63);
  CHECK(t.done == 100 + 63 + 6 * 3);
  // Flits: ceil(1000/32) = 32 flits, each crossing 6 links.
  CHECK(t.flit_hops == 32 * 6);
  // A local transfer crosses nothing.
  const NocTransfer local = network.transfer(100, 5, 5, 1000);
  CHECK(local.done == 100);
  CHECK(local.flit_hops == 0);
}

TEST_CASE("noc: two flows over one link take twice as long as one") {
  NocNetwork network(mesh_config(1, 4), 4);
  // Flows 0 -> 2 and 1 -> 3 share link (0,1)->(0,2). Each is 1600 B = 100 cycles at 16 B/cycle.
  const NocTransfer first = network.transfer(0, 0, 2, 1600);
  const NocTransfer second = network.transfer(0, 1, 3, 1600);
  // The first has every link to itself: 100 + 2 hops * 3. The second queues behind it on the shared
  // link: 200 + 2 * 3, twice the serialisation of one flow.
  CHECK(first.done == 100 + 6);
  CHECK(second.done == 200 + 6);
  // Link statistics: the shared link carried both flows, 200 busy cycles.
  const auto stats = network.link_stats();
  bool found = false;
  for (const auto& link : stats) {
    if (link.name != "(0,1)->(0,2)") continue;
    found = true;
    CHECK(link.bytes == 3200);
    CHECK(link.busy_cycles == 200);
    CHECK(link.transfers == 2);
  }
  CHECK(found);
  // 1x4 mesh: 3 east + 3 west links.
  CHECK(stats.size() == 6);
}

TEST_CASE("noc: the ideal NoC is never slower than the mesh for the same transfers") {
  NocConfig ideal_config = mesh_config(2, 2);
  ideal_config.topology = IdealNocConfig{};
  NocNetwork mesh(mesh_config(2, 2), 4);
  NocNetwork ideal(ideal_config, 4);
  for (uint32_t i = 0; i < 12; ++i) {
    const uint32_t src = i % 4, dst = (i * 3 + 1) % 4;
    const Cycles now = 10 * i;
    CHECK(ideal.transfer(now, src, dst, 4096).done <= mesh.transfer(now, src, dst, 4096).done);
  }
  CHECK(ideal.link_stats().empty());
}

TEST_CASE("noc config: automatic mesh size, default controller placement, resolved JSON") {
  // 8 cores: rows = floor(sqrt(8)) = 2, cols = ceil(8/2) = 4.
  NpuConfig config = parse_npu_config({{"cores", 8}, {"dram", {{"channels", 4}}}}, "x.json");
  const auto& mesh = std::get<MeshNocConfig>(config.noc.topology);
  CHECK(mesh.rows == 2);
  CHECK(mesh.cols == 4);
  // One controller per channel, node c * 8 / 4.
  CHECK(config.noc.dram_nodes == std::vector<uint32_t>{0, 2, 4, 6});
  const json resolved = npu_config_to_json(config);
  CHECK(resolved["noc"]["kind"] == "mesh");
  CHECK(resolved["noc"]["rows"] == 2);
  CHECK(resolved["cores"] == 8);
  // One core: a 1x1 mesh, every controller at node 0 (no link is ever crossed).
  config = parse_npu_config(json::object(), "x.json");
  CHECK(config.cores == 1);
  CHECK(noc_shape_text(config.noc, 1) == "1x1 mesh");
  CHECK(config.noc.dram_nodes == std::vector<uint32_t>{0, 0});
  // The "sources" object is accepted as is and kept.
  config = parse_npu_config({{"sources", {{"clock_mhz", "datasheet (P)"}}}}, "x.json");
  CHECK(npu_config_to_json(config)["sources"]["clock_mhz"] == "datasheet (P)");
}

TEST_CASE("noc config: bad NoCs are rejected with the field path") {
  CHECK(error_of({{"cores", 16},
                  {"dram", {{"channels", 4}}},
                  {"noc", {{"rows", 4}, {"cols", 4}, {"dram_nodes", {0, 5, 17}}}}}) ==
        "x.json: npu.noc.dram_nodes[2]: node 17 is outside the 4x4 mesh (nodes 0..15)");
  CHECK(error_of({{"cores", 8}, {"noc", {{"rows", 2}, {"cols", 2}}}}) ==
        "x.json: npu.cores: 8 cores do not fit the 2x2 mesh (cores sit at nodes 0..7)");
  CHECK(error_of({{"noc", {{"kind", "torus"}}}}) ==
        "x.json: npu.noc.kind: \"torus\" is not one of: mesh, ring, crossbar, ideal");
  CHECK(error_of({{"cores", 4}, {"noc", {{"kind", "ring"}, {"nodes", 3}}}}) ==
        "x.json: npu.cores: 4 cores do not fit the 3-node ring (cores sit at nodes 0..3)");
  CHECK(error_of({{"noc", {{"kind", "ring"}, {"rows", 2}}}}) ==
        "x.json: npu.noc.rows: not a field of a NoC of kind 'ring' (it belongs to kind 'mesh')");
  CHECK(error_of({{"noc", {{"dram_nodes", {0, -1}}}}}) ==
        "x.json: npu.noc.dram_nodes[1]: expected a non-negative node id, got -1");
  CHECK(error_of({{"dram", {{"channels", 2}}}, {"noc", {{"dram_nodes", {0, 0, 0}}}}})
            .find("npu.noc.dram_nodes: 3 controllers for 2 DRAM channels") != std::string::npos);
  CHECK(error_of({{"cores", 2}, {"noc", {{"kind", "crossbar"}, {"global_sram_node", 2}}}}) ==
        "x.json: npu.noc.global_sram_node: node 2 is outside the 2-node crossbar (nodes 0..1)");
  CHECK(error_of({{"noc", {{"link_bytes_per_cycle", 0}}}}).find("npu.noc.link_bytes_per_cycle") !=
        std::string::npos);
  CHECK(error_of({{"cores", 0}}).find("npu.cores: expected 1 to 1024") != std::string::npos);
  CHECK(error_of({{"cores", 2}, {"timing", {{"mode", "scalesim"}}}}).find("npu.cores") != std::string::npos);
  CHECK(error_of({{"noc", {{"bogus", 1}}}}) == "x.json: npu.noc.bogus: unknown field");
  CHECK(error_of({{"sources", 3}}).find("npu.sources: expected an object") != std::string::npos);
}
