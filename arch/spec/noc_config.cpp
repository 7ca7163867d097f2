// NoC sizes and placements derived from a NocConfig: automatic mesh shape, node count, DRAM
// controller nodes, and the shape as text for messages.
#include "arch/spec/noc_config.h"

#include <algorithm>
#include <cmath>

namespace npusim {

const char* noc_kind_name(const NocTopologyConfig& topology) {
  return std::visit([](const auto& kind) { return kind.kKind; }, topology);
}

MeshNocConfig resolved_mesh(MeshNocConfig mesh, uint32_t cores) {
  cores = std::max<uint32_t>(cores, 1);
  if (mesh.rows == 0 && mesh.cols == 0) {
    mesh.rows =
        std::max<uint32_t>(1, static_cast<uint32_t>(std::floor(std::sqrt(static_cast<double>(cores)))));
    mesh.cols = static_cast<uint32_t>(ceil_div(cores, mesh.rows));
  } else if (mesh.rows == 0) {
    mesh.rows = static_cast<uint32_t>(ceil_div(cores, mesh.cols));
  } else if (mesh.cols == 0) {
    mesh.cols = static_cast<uint32_t>(ceil_div(cores, mesh.rows));
  }
  return mesh;
}

std::vector<uint32_t> noc_dram_nodes(const NocConfig& noc, uint32_t cores, uint32_t dram_channels) {
  if (!noc.dram_nodes.empty()) return noc.dram_nodes;
  const uint64_t nodes = noc_node_count(noc, cores);
  std::vector<uint32_t> out;
  for (uint32_t c = 0; c < dram_channels; ++c) {
    out.push_back(static_cast<uint32_t>(c * nodes / dram_channels));
  }
  return out;
}

uint32_t noc_node_count(const NocConfig& noc, uint32_t cores) {
  if (const auto* mesh = std::get_if<MeshNocConfig>(&noc.topology)) {
    const MeshNocConfig resolved = resolved_mesh(*mesh, cores);
    return resolved.rows * resolved.cols;
  }
  if (const auto* ring = std::get_if<RingNocConfig>(&noc.topology)) {
    return ring->nodes == 0 ? cores : ring->nodes;
  }
  if (const auto* crossbar = std::get_if<CrossbarNocConfig>(&noc.topology)) {
    return crossbar->nodes == 0 ? cores : crossbar->nodes;
  }
  return cores;
}

std::string noc_shape_text(const NocConfig& noc, uint32_t cores) {
  if (const auto* mesh = std::get_if<MeshNocConfig>(&noc.topology)) {
    const MeshNocConfig resolved = resolved_mesh(*mesh, cores);
    return std::to_string(resolved.rows) + "x" + std::to_string(resolved.cols) + " mesh";
  }
  const std::string nodes = std::to_string(noc_node_count(noc, cores));
  if (std::holds_alternative<RingNocConfig>(noc.topology)) return nodes + "-node ring";
  if (std::holds_alternative<CrossbarNocConfig>(noc.topology)) return nodes + "-node crossbar";
  return "ideal NoC of " + nodes + " nodes";
}

}  // namespace npusim
