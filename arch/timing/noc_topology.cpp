#include "arch/timing/noc_topology.h"

#include <stdexcept>

#include "arch/spec/overloaded.h"

namespace npusim {
namespace {

enum MeshDirection : uint32_t { kEast = 0, kWest = 1, kNorth = 2, kSouth = 3 };

void check_nodes(uint32_t src, uint32_t dst, uint32_t nodes) {
  if (src >= nodes || dst >= nodes) {
    throw std::out_of_range("NoC route " + std::to_string(src) + "->" + std::to_string(dst) + " outside " +
                            std::to_string(nodes) + " nodes");
  }
}

}  // namespace

bool MeshNoc::link_exists(uint32_t link) const {
  if (link >= link_slots()) return false;
  const uint32_t node = link / 4;
  const uint32_t row = node / cols_;
  const uint32_t col = node % cols_;
  switch (link % 4) {
    case kEast:
      return col + 1 < cols_;
    case kWest:
      return col > 0;
    case kNorth:
      return row > 0;
    default:
      return row + 1 < rows_;
  }
}

std::string MeshNoc::link_name(uint32_t link) const {
  const uint32_t node = link / 4;
  uint32_t row = node / cols_;
  uint32_t col = node % cols_;
  const std::string from = "(" + std::to_string(row) + "," + std::to_string(col) + ")";
  switch (link % 4) {
    case kEast:
      ++col;
      break;
    case kWest:
      --col;
      break;
    case kNorth:
      --row;
      break;
    default:
      ++row;
      break;
  }
  return from + "->(" + std::to_string(row) + "," + std::to_string(col) + ")";
}

void MeshNoc::route(uint32_t src, uint32_t dst, std::vector<uint32_t>& links) const {
  check_nodes(src, dst, nodes());
  links.clear();
  uint32_t row = src / cols_, col = src % cols_;
  const uint32_t dst_row = dst / cols_, dst_col = dst % cols_;
  while (col != dst_col) {  // X first
    const uint32_t direction = col < dst_col ? kEast : kWest;
    links.push_back((row * cols_ + col) * 4 + direction);
    col = direction == kEast ? col + 1 : col - 1;
  }
  while (row != dst_row) {  // then Y
    const uint32_t direction = row < dst_row ? kSouth : kNorth;
    links.push_back((row * cols_ + col) * 4 + direction);
    row = direction == kSouth ? row + 1 : row - 1;
  }
}

std::string RingNoc::link_name(uint32_t link) const {
  const uint32_t node = link % nodes_;
  const uint32_t next = link < nodes_ ? (node + 1) % nodes_ : (node + nodes_ - 1) % nodes_;
  return std::to_string(node) + "->" + std::to_string(next);
}

void RingNoc::route(uint32_t src, uint32_t dst, std::vector<uint32_t>& links) const {
  check_nodes(src, dst, nodes_);
  links.clear();
  const uint32_t clockwise = (dst + nodes_ - src) % nodes_;
  const bool cw = clockwise <= nodes_ - clockwise;
  const uint32_t hops = cw ? clockwise : nodes_ - clockwise;
  uint32_t node = src;
  for (uint32_t h = 0; h < hops; ++h) {
    links.push_back(cw ? node : nodes_ + node);
    node = cw ? (node + 1) % nodes_ : (node + nodes_ - 1) % nodes_;
  }
}

std::string CrossbarNoc::link_name(uint32_t link) const {
  return link < nodes_ ? std::to_string(link) + "->xbar" : "xbar->" + std::to_string(link - nodes_);
}

void CrossbarNoc::route(uint32_t src, uint32_t dst, std::vector<uint32_t>& links) const {
  check_nodes(src, dst, nodes_);
  links.clear();
  if (src == dst) return;
  links.push_back(src);
  links.push_back(nodes_ + dst);
}

NocTopology make_noc_topology(const NocConfig& config, uint32_t cores) {
  const uint32_t nodes = noc_node_count(config, cores);
  return std::visit(
      Overloaded{[cores](const MeshNocConfig& mesh) -> NocTopology {
                   const MeshNocConfig resolved = resolved_mesh(mesh, cores);
                   return MeshNoc(resolved.rows, resolved.cols);
                 },
                 [nodes](const RingNocConfig&) -> NocTopology { return RingNoc(nodes); },
                 [nodes](const CrossbarNocConfig&) -> NocTopology { return CrossbarNoc(nodes); },
                 [nodes](const IdealNocConfig&) -> NocTopology { return IdealNoc(nodes); }},
      config.topology);
}

uint32_t noc_nodes(const NocTopology& topology) {
  return std::visit([](const auto& t) { return t.nodes(); }, topology);
}
uint32_t noc_link_slots(const NocTopology& topology) {
  return std::visit([](const auto& t) { return t.link_slots(); }, topology);
}
bool noc_link_exists(const NocTopology& topology, uint32_t link) {
  return std::visit([link](const auto& t) { return t.link_exists(link); }, topology);
}
std::string noc_link_name(const NocTopology& topology, uint32_t link) {
  return std::visit([link](const auto& t) { return t.link_name(link); }, topology);
}
void noc_route(const NocTopology& topology, uint32_t src, uint32_t dst, std::vector<uint32_t>& links) {
  std::visit([&](const auto& t) { t.route(src, dst, links); }, topology);
}

uint32_t noc_hops(const NocTopology& topology, uint32_t src, uint32_t dst) {
  if (const auto* crossbar = std::get_if<CrossbarNoc>(&topology)) return crossbar->hops(src, dst);
  std::vector<uint32_t> links;
  noc_route(topology, src, dst, links);
  return static_cast<uint32_t>(links.size());
}

}  // namespace npusim
