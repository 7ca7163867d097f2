// The chip-to-chip links of a system as directed bandwidth reservations (no processes): a transfer
// books every link on its route, cut-through, and arrives after the last link drains plus the hop
// latency. Time is integer picoseconds; collectives (collectives.h) are built from transfers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch/spec/system_config.h"
#include "arch/spec/units.h"

namespace npusim {

struct ChipLinkUsage {
  Bytes bytes = 0;
  uint64_t busy_ps = 0;
  uint64_t transfers = 0;
};

// One transfer's reservation of one link (recorded for timelines when asked).
struct LinkBusySpan {
  uint32_t link = 0;
  uint64_t start_ps = 0;
  uint64_t end_ps = 0;
  Bytes bytes = 0;
};

struct DirectedChipLink {
  std::string name;  // "chip0->chip1", "chip3->switch", "switch->chip5"
  double ps_per_byte = 1.0;
  uint64_t busy_until_ps = 0;
  ChipLinkUsage usage;
};

class ChipLinkFabric {
 public:
  explicit ChipLinkFabric(const SystemConfig& config);

  // Moves `bytes` from chip src to chip dst once src is ready at ready_ps; returns the arrival time.
  // Links are granted first come, first served in call order (the arbitration rule).
  uint64_t transfer(uint32_t src, uint32_t dst, Bytes bytes, uint64_t ready_ps);

  uint32_t chips() const { return chips_; }
  const std::vector<DirectedChipLink>& links() const { return links_; }
  uint64_t host_overhead_ps() const { return host_overhead_ps_; }
  double energy_pj() const { return energy_pj_; }
  // Keep every link reservation from now on (spans()), for a timeline.
  void record_spans() { record_spans_ = true; }
  const std::vector<LinkBusySpan>& spans() const { return spans_; }
  // The directed links a transfer from src to dst crosses, and how many hops pay the latency.
  std::vector<uint32_t> route(uint32_t src, uint32_t dst) const;
  uint32_t hops(uint32_t src, uint32_t dst) const;

 private:
  uint32_t add_link(const std::string& name, double gbytes_per_s);
  uint32_t ring_link(uint32_t from, bool clockwise) const;

  SystemTopology topology_;
  uint32_t chips_;
  uint64_t latency_ps_;
  uint64_t host_overhead_ps_;
  double pj_per_byte_;
  double energy_pj_ = 0.0;
  std::vector<DirectedChipLink> links_;
  bool record_spans_ = false;
  std::vector<LinkBusySpan> spans_;
  std::vector<uint32_t> first_link_;  // per chip: its outgoing (ring, switch) or pairwise link block
};

}  // namespace npusim
