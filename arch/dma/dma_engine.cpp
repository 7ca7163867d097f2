#include "arch/dma/dma_engine.h"

namespace npusim {

DmaEngine::DmaEngine(sc_core::sc_module_name name, const DmaConfig& config, Sram& sram, DramModel& dram,
                     QueueRunner& runner)
    : sc_core::sc_module(name),
      runner_(runner),
      load_(true, config, sram, dram, next_address_),
      store_(false, config, sram, dram, next_address_) {
  SC_THREAD(load_thread);
  SC_THREAD(store_thread);
}

}  // namespace npusim
