// The network on chip: a closed variant of topologies chosen by "kind" (arch/timing/noc_topology.h
// builds the model for each) plus the fields every kind shares, all declared in fields() tables.
// Cores sit at nodes 0..cores-1; DRAM controllers and the global SRAM attach at configurable nodes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "arch/spec/config_field_ops.h"
#include "arch/spec/units.h"

namespace npusim {

struct MeshNocConfig {  // XY routing (X = columns first), node id = row * cols + col
  static constexpr const char* kKind = "mesh";
  uint32_t rows = 0;  // 0 for both: the most square grid holding the cores (resolved by the parser)
  uint32_t cols = 0;
  static constexpr auto fields() {
    return std::array{
        field<&MeshNocConfig::rows>("rows", "nodes", "mesh rows; 0 = sized to the cores"),
        field<&MeshNocConfig::cols>("cols", "nodes", "mesh columns; 0 = sized to the cores"),
    };
  }
};
struct RingNocConfig {  // bidirectional, shortest direction (clockwise on a tie)
  static constexpr const char* kKind = "ring";
  uint32_t nodes = 0;
  static constexpr auto fields() {
    return std::array{field<&RingNocConfig::nodes>("nodes", "nodes", "ring nodes; 0 = one per core")};
  }
};
struct CrossbarNocConfig {  // every node has one link into and one out of a single switch (one hop)
  static constexpr const char* kKind = "crossbar";
  uint32_t nodes = 0;
  static constexpr auto fields() {
    return std::array{field<&CrossbarNocConfig::nodes>("nodes", "nodes", "crossbar ports; 0 = one per core")};
  }
};
struct IdealNocConfig {  // no links, no latency: contention-free reference
  static constexpr const char* kKind = "ideal";
  static constexpr auto fields() { return std::array<Field<IdealNocConfig>, 0>{}; }
};
using NocTopologyConfig = std::variant<MeshNocConfig, RingNocConfig, CrossbarNocConfig, IdealNocConfig>;
const char* noc_kind_name(const NocTopologyConfig& topology);  // its alternative's kKind

struct NocConfig {
  NocTopologyConfig topology = MeshNocConfig{};
  uint32_t link_bytes_per_cycle = 64;
  Cycles hop_latency_cycles = 2;
  uint32_t flit_bytes = 32;
  // Channel c is served by dram_nodes[c % size]; the parser fills in one per channel when absent.
  std::vector<uint32_t> dram_nodes;
  uint32_t global_sram_node = 0;
  static constexpr auto fields();
};
constexpr auto NocConfig::fields() {
  return std::array{
      field<&NocConfig::topology>("kind", "", "topology; its own fields (below) sit beside it")
          .kinds_called("NoC"),
      field<&NocConfig::link_bytes_per_cycle>("link_bytes_per_cycle", "bytes/cycle",
                                              "per direction, per link")
          .positive(),
      field<&NocConfig::hop_latency_cycles>("hop_latency_cycles", "cycles",
                                            "router + link traversal per hop"),
      field<&NocConfig::flit_bytes>("flit_bytes", "bytes",
                                    "counts flit-hops for energy; timing is per transfer")
          .positive(),
      field<&NocConfig::dram_nodes>("dram_nodes", "",
                                    "one DRAM controller per entry, channel c at dram_nodes[c % n]; "
                                    "[] = one per channel, spread evenly over the nodes"),
      field<&NocConfig::global_sram_node>("global_sram_node", "", "node of the global SRAM"),
  };
}

// A mesh's 0 sizes filled in for `cores`: both 0 -> rows = floor(sqrt(cores)), cols = ceil(cores / rows);
// one 0 -> just enough of it. The parser stores the result; models call it for hand-built configs.
MeshNocConfig resolved_mesh(MeshNocConfig mesh, uint32_t cores);
// Nodes of the configured topology (mesh rows*cols; ring/crossbar nodes, 0 = cores; ideal: cores).
uint32_t noc_node_count(const NocConfig& noc, uint32_t cores);
// noc.dram_nodes, or when empty one controller per DRAM channel c at node c * nodes / channels.
std::vector<uint32_t> noc_dram_nodes(const NocConfig& noc, uint32_t cores, uint32_t dram_channels);
// "4x4 mesh", "8-node ring", "6-node crossbar", "ideal NoC of 4 nodes": for messages.
std::string noc_shape_text(const NocConfig& noc, uint32_t cores);

}  // namespace npusim
