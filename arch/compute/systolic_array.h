// SystolicArray: the MAC array. A tile takes gemm_tile_cycles, stretched when the SRAM port cannot
// move the tile's operand and partial-sum traffic in that time (the stretch is sram_conflict_cycles).
#pragma once

#include <systemc>

#include "arch/core/command_unit.h"
#include "arch/memory/sram.h"
#include "arch/spec/core_config.h"
#include "arch/spec/npu_config.h"  // TimingMode
#include "arch/timing/systolic_timing.h"

namespace npusim {

class SystolicArray final : public sc_core::sc_module, public CommandExecutor {
 public:
  SC_HAS_PROCESS(SystolicArray);
  // `timing` kScaleSim never overlaps folds (SCALE-Sim's accounting, REFERENCE.md §2).
  SystolicArray(sc_core::sc_module_name name, const ArrayConfig& array, TimingMode timing, Sram& sram,
                QueueRunner& runner);

  void begin_layer(const LayerContext& context) override;
  Cycles plan(const Command& command, const DepsReady& deps) override;
  Cycles issue(const Command& command, Cycles now) override;
  Cycles next_issue_floor(Cycles, Cycles finish) const override { return finish; }  // in order

 private:
  void run() { runner_.run_unit(UnitKind::kArray, *this); }

  ArrayConfig array_;
  ArrayShape shape_;  // for the current layer's operand type
  Dataflow dataflow_;
  bool overlap_folds_;
  Sram& sram_;
  QueueRunner& runner_;
  LayerContext layer_;
  Cycles free_at_ = 0;      // the previous command's finish
  bool streaming_ = false;  // a tile of this layer has run: the next one may stream behind it
};

}  // namespace npusim
