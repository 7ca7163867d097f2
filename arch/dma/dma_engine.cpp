#include "arch/dma/dma_engine.h"

namespace npusim {

DmaEngine::DmaEngine(sc_core::sc_module_name name, uint32_t core, const DmaConfig& config,
                     Bytes dram_interleave_bytes, Sram& sram, MemoryFabric& fabric, QueueRunner& runner)
    : sc_core::sc_module(name),
      runner_(runner),
      next_address_(uint64_t{core} * dram_interleave_bytes),
      load_(true, core, config, sram, fabric, next_address_),
      store_(false, core, config, sram, fabric, next_address_) {
  SC_THREAD(load_thread);
  SC_THREAD(store_thread);
}

}  // namespace npusim
