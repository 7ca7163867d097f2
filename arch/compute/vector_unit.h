// VectorUnit: elementwise, pooling, depthwise and activation work. A command takes
// latency + ceil(elements * ops_per_element / lanes), stretched when the SRAM port is the bottleneck.
#pragma once

#include <systemc>

#include "arch/core/command_unit.h"
#include "arch/memory/sram.h"
#include "arch/spec/core_config.h"

namespace npusim {

class VectorUnit final : public sc_core::sc_module, public CommandExecutor {
 public:
  SC_HAS_PROCESS(VectorUnit);
  VectorUnit(sc_core::sc_module_name name, const VectorConfig& config, Sram& sram, QueueRunner& runner);

  void begin_layer(const LayerContext& context) override;
  Cycles plan(const Command& command, const DepsReady& deps) override;
  Cycles issue(const Command& command, Cycles now) override;
  Cycles next_issue_floor(Cycles, Cycles finish) const override { return finish; }  // in order

 private:
  void run() { runner_.run_unit(UnitKind::kVector, *this); }

  VectorConfig config_;
  Sram& sram_;
  QueueRunner& runner_;
  LayerContext layer_;
  Cycles free_at_ = 0;  // the previous command's finish
};

}  // namespace npusim
