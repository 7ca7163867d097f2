// NocNetwork: the NoC's links as bandwidth reservations (SystemC-free). A transfer books its bytes on
// every link of its route at once (cut-through: the links stream in a pipeline, not one after another),
// so flows that share a link share its bandwidth and a transfer is as slow as its busiest link.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "arch/timing/noc_topology.h"
#include "arch/timing/bandwidth_server.h"
#include "arch/spec/npu_config.h"
#include "arch/isa/layer_stats.h"
#include "arch/isa/span_recorder.h"
#include "arch/spec/units.h"

namespace npusim {

struct NocTransfer {
  Cycles links_end = 0;  // the latest link reservation end (`now` when the route has no links)
  Cycles done = 0;       // links_end + hops * hop latency: the last byte has arrived
  uint32_t hops = 0;
  uint64_t flit_hops = 0;  // ceil(bytes / flit_bytes) * hops
};

class NocNetwork {
 public:
  NocNetwork(const NocConfig& config, uint32_t cores);

  // Books `bytes` from src to dst, no link earlier than `now`. An idle route gives
  // done = now + ceil(bytes / link_bytes_per_cycle) + hops * hop_latency_cycles.
  NocTransfer transfer(Cycles now, uint32_t src, uint32_t dst, Bytes bytes);
  uint32_t hops(uint32_t src, uint32_t dst) { return route(src, dst).hops; }
  bool has_links(uint32_t src, uint32_t dst) { return !route(src, dst).links.empty(); }

  const NocTopology& topology() const { return topology_; }
  Cycles hop_latency_cycles() const { return hop_latency_; }
  uint32_t flit_bytes() const { return flit_bytes_; }
  // Every existing link in id order, used or not: name, bytes, busy cycles (bytes / link bandwidth:
  // utilisation = busy / elapsed cycles), transfers.
  std::vector<NocLinkUsage> link_stats() const;
  uint64_t flit_hops() const { return flit_hops_; }
  // Timeline: record each link reservation as a span on track `prefix` + link name (before any transfer).
  void set_recorder(SpanRecorder* recorder, const std::string& prefix);

 private:
  struct Route {
    std::vector<uint32_t> links;
    uint32_t hops = 0;
  };
  const Route& route(uint32_t src, uint32_t dst);

  NocTopology topology_;
  Cycles hop_latency_;
  uint32_t flit_bytes_;
  std::vector<BandwidthServer> links_;          // one per link slot (slots without a link are never booked)
  std::unordered_map<uint64_t, Route> routes_;  // (src, dst) -> route, filled on first use
  uint64_t flit_hops_ = 0;
  SpanRecorder* recorder_ = nullptr;
  std::vector<uint32_t> tracks_;  // per link slot, with a recorder
};

}  // namespace npusim
