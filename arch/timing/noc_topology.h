// NoC topologies (SystemC-free): node and link numbering and deterministic routes. A closed
// std::variant chosen by npu.noc.kind; make_noc_topology is the one std::visit factory.
// Links are unidirectional; a route is the ordered list of links a transfer crosses.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "arch/spec/npu_config.h"

namespace npusim {

// rows x cols routers; each has up to four outgoing links (east, west, north, south). XY routing:
// along the row (X) to the destination column first, then along the column (Y).
class MeshNoc {
 public:
  MeshNoc(uint32_t rows, uint32_t cols) : rows_(rows), cols_(cols) {}
  uint32_t nodes() const { return rows_ * cols_; }
  uint32_t link_slots() const { return 4 * nodes(); }  // some slots at the edges have no link
  bool link_exists(uint32_t link) const;
  std::string link_name(uint32_t link) const;  // "(r0,c0)->(r0,c1)"
  void route(uint32_t src, uint32_t dst, std::vector<uint32_t>& links) const;
  uint32_t rows() const { return rows_; }
  uint32_t cols() const { return cols_; }

 private:
  uint32_t rows_, cols_;
};

// Bidirectional ring: link i goes i -> i+1 (clockwise), link nodes+i goes i -> i-1. Shortest way
// round; clockwise on a tie.
class RingNoc {
 public:
  explicit RingNoc(uint32_t nodes) : nodes_(nodes) {}
  uint32_t nodes() const { return nodes_; }
  uint32_t link_slots() const { return nodes_ < 2 ? 0 : 2 * nodes_; }
  bool link_exists(uint32_t link) const { return link < link_slots(); }
  std::string link_name(uint32_t link) const;  // "3->4"
  void route(uint32_t src, uint32_t dst, std::vector<uint32_t>& links) const;

 private:
  uint32_t nodes_;
};

// One switch: node i's link i goes into it, link nodes+i comes out to node i. A transfer between two
// nodes crosses two links and one hop; flows contend only at their source and destination ports.
class CrossbarNoc {
 public:
  explicit CrossbarNoc(uint32_t nodes) : nodes_(nodes) {}
  uint32_t nodes() const { return nodes_; }
  uint32_t link_slots() const { return 2 * nodes_; }
  bool link_exists(uint32_t link) const { return link < link_slots(); }
  std::string link_name(uint32_t link) const;  // "3->xbar", "xbar->4"
  void route(uint32_t src, uint32_t dst, std::vector<uint32_t>& links) const;
  uint32_t hops(uint32_t src, uint32_t dst) const { return src == dst ? 0 : 1; }

 private:
  uint32_t nodes_;
};

// No links and no latency: every transfer is limited only by the memories it touches.
class IdealNoc {
 public:
  explicit IdealNoc(uint32_t nodes) : nodes_(nodes) {}
  uint32_t nodes() const { return nodes_; }
  uint32_t link_slots() const { return 0; }
  bool link_exists(uint32_t) const { return false; }
  std::string link_name(uint32_t) const { return ""; }
  void route(uint32_t, uint32_t, std::vector<uint32_t>& links) const { links.clear(); }

 private:
  uint32_t nodes_;
};

using NocTopology = std::variant<MeshNoc, RingNoc, CrossbarNoc, IdealNoc>;

// The topology for a resolved NocConfig (the parser has filled in automatic sizes).
NocTopology make_noc_topology(const NocConfig& config, uint32_t cores);

uint32_t noc_nodes(const NocTopology& topology);
uint32_t noc_link_slots(const NocTopology& topology);
bool noc_link_exists(const NocTopology& topology, uint32_t link);
std::string noc_link_name(const NocTopology& topology, uint32_t link);
// Replaces `links` with the route from src to dst (empty when src == dst or on the ideal NoC).
void noc_route(const NocTopology& topology, uint32_t src, uint32_t dst, std::vector<uint32_t>& links);
// Router traversals between src and dst: the route's length, except on a crossbar (one switch).
uint32_t noc_hops(const NocTopology& topology, uint32_t src, uint32_t dst);

}  // namespace npusim
