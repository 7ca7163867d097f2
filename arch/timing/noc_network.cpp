#include "arch/timing/noc_network.h"

#include <algorithm>

namespace npusim {

NocNetwork::NocNetwork(const NocConfig& config, uint32_t cores)
    : topology_(make_noc_topology(config, cores)),
      hop_latency_(config.hop_latency_cycles),
      flit_bytes_(std::max<uint32_t>(1, config.flit_bytes)) {
  const uint32_t slots = noc_link_slots(topology_);
  links_.reserve(slots);
  for (uint32_t l = 0; l < slots; ++l) links_.emplace_back(uint64_t{config.link_bytes_per_cycle}, 0);
}

const NocNetwork::Route& NocNetwork::route(uint32_t src, uint32_t dst) {
  const uint64_t key = (uint64_t{src} << 32) | dst;
  auto it = routes_.find(key);
  if (it == routes_.end()) {
    Route route;
    noc_route(topology_, src, dst, route.links);
    route.hops = noc_hops(topology_, src, dst);
    it = routes_.emplace(key, std::move(route)).first;
  }
  return it->second;
}

NocTransfer NocNetwork::transfer(Cycles now, uint32_t src, uint32_t dst, Bytes bytes) {
  const Route& path = route(src, dst);
  NocTransfer out;
  out.links_end = now;
  out.hops = path.hops;
  if (bytes > 0) {
    for (uint32_t link : path.links) {
      const Reservation booked = links_[link].reserve(now, bytes);
      out.links_end = std::max(out.links_end, booked.end);
      if (recorder_ != nullptr)
        recorder_->record(tracks_[link], SpanKind::kNocTransfer, booked.start, booked.end, bytes);
    }
    out.flit_hops = ceil_div(bytes, flit_bytes_) * path.hops;
    flit_hops_ += out.flit_hops;
  }
  out.done = out.links_end + Cycles{path.hops} * hop_latency_;
  return out;
}

void NocNetwork::set_recorder(SpanRecorder* recorder, const std::string& prefix) {
  recorder_ = recorder;
  tracks_.assign(links_.size(), 0);
  if (recorder == nullptr) return;
  for (uint32_t l = 0; l < links_.size(); ++l) {
    if (noc_link_exists(topology_, l))
      tracks_[l] = recorder->add_track(prefix + noc_link_name(topology_, l), /*fifo=*/true);
  }
}

std::vector<NocLinkUsage> NocNetwork::link_stats() const {
  std::vector<NocLinkUsage> out;
  for (uint32_t l = 0; l < links_.size(); ++l) {
    if (!noc_link_exists(topology_, l)) continue;
    out.push_back({noc_link_name(topology_, l), links_[l].bytes_served(), links_[l].busy_cycles(),
                   links_[l].reservations()});
  }
  return out;
}

}  // namespace npusim
