// Directed chip-to-chip links per topology, shortest routes, and first-come-first-served reservations.
#include "arch/timing/chip_link_fabric.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace npusim {
namespace {

uint64_t round_ps(double ps) { return static_cast<uint64_t>(std::llround(ps)); }

std::string chip_name(uint32_t chip) { return "chip" + std::to_string(chip); }

}  // namespace

ChipLinkFabric::ChipLinkFabric(const SystemConfig& config)
    : topology_(config.topology),
      chips_(config.chips),
      latency_ps_(round_ps(config.link.latency_ns * 1000.0)),
      host_overhead_ps_(round_ps(config.host_overhead_ns * 1000.0)),
      pj_per_byte_(config.link.energy_pj_per_bit * 8.0) {
  const double per_peer_gbytes_per_s = config.link.bandwidth_gbytes_per_s * ports_per_peer(config);
  for (uint32_t chip = 0; chip < chips_; ++chip) {
    first_link_.push_back(static_cast<uint32_t>(links_.size()));
    if (chips_ == 1) continue;
    if (topology_ == SystemTopology::kSwitch) {
      add_link(chip_name(chip) + "->switch", per_peer_gbytes_per_s);
      add_link("switch->" + chip_name(chip), per_peer_gbytes_per_s);
    } else if (topology_ == SystemTopology::kRing) {
      add_link(chip_name(chip) + "->" + chip_name((chip + 1) % chips_), per_peer_gbytes_per_s);
      if (chips_ > 2) add_link(chip_name(chip) + "->" + chip_name((chip + chips_ - 1) % chips_), per_peer_gbytes_per_s);
    } else {
      for (uint32_t peer = 0; peer < chips_; ++peer) {
        if (peer != chip) add_link(chip_name(chip) + "->" + chip_name(peer), per_peer_gbytes_per_s);
      }
    }
  }
}

uint32_t ChipLinkFabric::add_link(const std::string& name, double gbytes_per_s) {
  DirectedChipLink link;
  link.name = name;
  link.ps_per_byte = 1000.0 / gbytes_per_s;  // 1 byte at 1 GB/s takes 1 ns
  links_.push_back(link);
  return static_cast<uint32_t>(links_.size() - 1);
}

uint32_t ChipLinkFabric::ring_link(uint32_t from, bool clockwise) const {
  return first_link_[from] + (clockwise || chips_ == 2 ? 0 : 1);
}

std::vector<uint32_t> ChipLinkFabric::route(uint32_t src, uint32_t dst) const {
  if (src >= chips_ || dst >= chips_ || src == dst) throw std::logic_error("chip link route: bad chips");
  if (topology_ == SystemTopology::kSwitch) return {first_link_[src], first_link_[dst] + 1};
  if (topology_ == SystemTopology::kFullyConnected) return {first_link_[src] + (dst < src ? dst : dst - 1)};
  // Ring: the shorter way round; clockwise on a tie.
  const uint32_t forward = (dst + chips_ - src) % chips_;
  const bool clockwise = forward <= chips_ - forward;
  std::vector<uint32_t> path;
  for (uint32_t at = src; at != dst; at = clockwise ? (at + 1) % chips_ : (at + chips_ - 1) % chips_) {
    path.push_back(ring_link(at, clockwise));
  }
  return path;
}

uint32_t ChipLinkFabric::hops(uint32_t src, uint32_t dst) const {
  if (topology_ == SystemTopology::kSwitch) return 1;  // one trip through the switch
  return static_cast<uint32_t>(route(src, dst).size());
}

uint64_t ChipLinkFabric::transfer(uint32_t src, uint32_t dst, Bytes bytes, uint64_t ready_ps) {
  uint64_t start_ps = ready_ps;
  uint64_t end_ps = ready_ps;
  for (uint32_t index : route(src, dst)) {
    DirectedChipLink& link = links_[index];
    const uint64_t duration_ps = round_ps(static_cast<double>(bytes) * link.ps_per_byte);
    // Cut-through: a later link starts when the earlier one started (or when it is free) and cannot
    // finish before the earlier one has.
    start_ps = std::max(start_ps, link.busy_until_ps);
    end_ps = std::max(start_ps + duration_ps, end_ps);
    link.busy_until_ps = end_ps;
    if (record_spans_) spans_.push_back(LinkBusySpan{index, start_ps, end_ps, bytes});
    link.usage.bytes += bytes;
    link.usage.busy_ps += duration_ps;
    link.usage.transfers += 1;
    energy_pj_ += static_cast<double>(bytes) * pj_per_byte_;
  }
  return end_ps + latency_ps_ * hops(src, dst);
}

}  // namespace npusim
