// MemoryFabric: what a core's DMA reaches beyond its own scratchpad: the DRAM controllers and the
// shared global SRAM, both across the NoC. Each part of a transfer is booked on its memory (a DRAM
// channel or the global SRAM port) and on every NoC link between that memory's node and the core.
// SystemC-free, like every shared resource here: reservations, not processes.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "arch/isa/command_stream.h"
#include "arch/memory/dram.h"
#include "arch/spec/memory_config.h"
#include "arch/spec/noc_config.h"
#include "arch/timing/bandwidth_server.h"
#include "arch/timing/noc_network.h"

namespace npusim {

struct FabricAccess {
  Cycles done = 0;  // the last byte is in the scratchpad (load) or in the memory (store)
  uint64_t flit_hops = 0;
};

class MemoryFabric {
 public:
  // `cores` cores at nodes 0..cores-1; one DRAM controller per channel of `dram` (at noc_dram_nodes).
  MemoryFabric(const NocConfig& noc, const GlobalSramConfig& global_sram, uint32_t cores, DramModel& dram);

  // A transfer between core `core` (at NoC node `core`) and `memory`, issued at `now`. Per part served by
  // one memory port: done = max(memory done, latest link end + memory latency) + hops * hop latency,
  // so memory streaming and NoC serialisation overlap (cut-through) and their latencies add. A core
  // whose routes cross no link (one core, ideal NoC) reaches the memory exactly as without a NoC.
  FabricAccess access(Cycles now, uint32_t core, uint64_t address, Bytes bytes, bool is_write,
                      MemoryKind memory);

  const NocNetwork& noc() const { return noc_; }
  // Timeline: NoC link reservations become spans on tracks "npu.noc.<link>".
  void set_recorder(SpanRecorder* recorder) { noc_.set_recorder(recorder, "npu.noc.link"); }
  bool has_global_sram() const { return global_sram_ != nullptr; }
  const BandwidthServer* global_sram() const { return global_sram_.get(); }

 private:
  FabricAccess across_noc(Cycles now, uint32_t core, uint32_t node, Bytes bytes, bool is_write,
                          Cycles memory_done, Cycles memory_latency);

  DramModel& dram_;
  NocNetwork noc_;
  std::vector<uint32_t> controller_node_;  // per DRAM channel
  std::vector<uint8_t> dram_direct_;       // per core: no route to any controller crosses a link
  std::unique_ptr<BandwidthServer> global_sram_;
  uint32_t global_sram_node_ = 0;
  std::vector<DramPiece> pieces_;  // scratch
};

}  // namespace npusim
