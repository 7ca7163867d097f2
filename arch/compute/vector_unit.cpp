#include "arch/compute/vector_unit.h"

#include <algorithm>

#include "arch/timing/sram_timing.h"
#include "arch/timing/vector_timing.h"

namespace npusim {

VectorUnit::VectorUnit(sc_core::sc_module_name name, const VectorConfig& config, Sram& sram,
                       QueueRunner& runner)
    : sc_core::sc_module(name), config_(config), sram_(sram), runner_(runner) {
  SC_THREAD(run);
}

void VectorUnit::begin_layer(const LayerContext& context) {
  layer_ = context;
  free_at_ = context.start;
}

Cycles VectorUnit::plan(const Command&, const DepsReady& deps) { return std::max(free_at_, deps.all); }

Cycles VectorUnit::issue(const Command& command, Cycles now) {
  const VectorWork& work = command.vector;
  const Cycles cycles = vector_op_cycles(config_, work.elements, work.ops_per_element);
  const Reservation sram = sram_.access(now, work.read_bytes, work.write_bytes);
  const StretchedDuration op = stretch_for_sram(now, cycles, sram.done);
  free_at_ = op.end;

  LayerStats& stats = *layer_.stats;
  stats.vector_busy_cycles += op.end - now;
  stats.sram_conflict_cycles += op.conflict_cycles;
  stats.vector_ops += vector_ops(work.elements, work.ops_per_element);
  stats.vector_commands += 1;
  stats.sram_read_bytes += work.read_bytes;
  stats.sram_write_bytes += work.write_bytes;
  return op.end;
}

}  // namespace npusim
