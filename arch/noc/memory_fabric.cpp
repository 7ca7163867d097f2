#include "arch/noc/memory_fabric.h"

#include <algorithm>
#include <stdexcept>

namespace npusim {

MemoryFabric::MemoryFabric(const NocConfig& noc, const GlobalSramConfig& global_sram, uint32_t cores,
                           DramModel& dram)
    : dram_(dram), noc_(noc, cores), global_sram_node_(noc.global_sram_node) {
  const uint32_t channels = dram_.channels();
  const std::vector<uint32_t> nodes = noc_dram_nodes(noc, cores, channels);
  for (uint32_t c = 0; c < channels; ++c)
    controller_node_.push_back(nodes.empty() ? 0 : nodes[c % nodes.size()]);
  const uint32_t node_count = noc_nodes(noc_.topology());
  for (uint32_t core = 0; core < cores; ++core) {
    if (core >= node_count) throw std::logic_error("MemoryFabric: core outside the NoC");
    bool direct = true;
    for (uint32_t node : controller_node_) {
      if (node >= node_count) throw std::logic_error("MemoryFabric: DRAM controller outside the NoC");
      direct = direct && !noc_.has_links(node, core) && !noc_.has_links(core, node);
    }
    dram_direct_.push_back(direct ? 1 : 0);
  }
  if (global_sram.capacity_bytes > 0) {
    global_sram_ =
        std::make_unique<BandwidthServer>(uint64_t{global_sram.bytes_per_cycle}, global_sram.latency_cycles);
  }
}

FabricAccess MemoryFabric::across_noc(Cycles now, uint32_t core, uint32_t node, Bytes bytes, bool is_write,
                                      Cycles memory_done, Cycles memory_latency) {
  // Loads flow memory -> core, stores core -> memory.
  const NocTransfer hop =
      is_write ? noc_.transfer(now, core, node, bytes) : noc_.transfer(now, node, core, bytes);
  const Cycles done =
      std::max(memory_done, hop.links_end + memory_latency) + Cycles{hop.hops} * noc_.hop_latency_cycles();
  return {done, hop.flit_hops};
}

FabricAccess MemoryFabric::access(Cycles now, uint32_t core, uint64_t address, Bytes bytes, bool is_write,
                                  MemoryKind memory) {
  if (bytes == 0) return {now, 0};
  if (memory == MemoryKind::kGlobalSram) {
    if (!global_sram_) throw std::logic_error("a transfer names the global SRAM, but the NPU has none");
    const Reservation booked = global_sram_->reserve(now, bytes);
    return across_noc(now, core, global_sram_node_, bytes, is_write, booked.done,
                      global_sram_->latency_cycles());
  }
  if (dram_direct_[core]) return {dram_.access(now, address, bytes, is_write), 0};
  dram_.access_by_channel(now, address, bytes, is_write, pieces_);
  FabricAccess out{now, 0};
  for (const DramPiece& piece : pieces_) {
    const FabricAccess part = across_noc(now, core, controller_node_[piece.channel], piece.bytes, is_write,
                                         piece.done, dram_.latency_cycles());
    out.done = std::max(out.done, part.done);
    out.flit_hops += part.flit_hops;
  }
  return out;
}

}  // namespace npusim
