// DmaEngine: a core's DMA with separate load and store queues (like AXI's independent read and
// write channels: each direction has its own port of dma.bytes_per_cycle and its own
// max_outstanding), sharing the SRAM port and, across the NoC, the DRAM channels.
#pragma once

#include <systemc>

#include "arch/core/command_unit.h"
#include "arch/dma/dma_queue.h"
#include "arch/memory/sram.h"
#include "arch/noc/memory_fabric.h"
#include "arch/spec/core_config.h"

namespace npusim {

class DmaEngine final : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(DmaEngine);
  // Core `core`'s engine; its running DRAM address starts `core` interleave chunks (dram.interleave_bytes)
  // in, so cores that start together begin on different channels.
  DmaEngine(sc_core::sc_module_name name, uint32_t core, const DmaConfig& config, Bytes dram_interleave_bytes,
            Sram& sram, MemoryFabric& fabric, QueueRunner& runner);

  DmaQueue& loads() { return load_; }
  DmaQueue& stores() { return store_; }

 private:
  void load_thread() { runner_.run_unit(UnitKind::kLoad, load_); }
  void store_thread() { runner_.run_unit(UnitKind::kStore, store_); }

  QueueRunner& runner_;
  uint64_t next_address_ = 0;  // running DRAM address: consecutive transfers walk the channels
  DmaQueue load_;
  DmaQueue store_;
};

}  // namespace npusim
