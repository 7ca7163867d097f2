#include "arch/compute/systolic_array.h"

#include <algorithm>

#include "arch/timing/sram_timing.h"

namespace npusim {

SystolicArray::SystolicArray(sc_core::sc_module_name name, const ArrayConfig& array, TimingMode timing,
                             Sram& sram, QueueRunner& runner)
    : sc_core::sc_module(name),
      array_(array),
      shape_(array_shape(array, array.dtypes.front())),
      dataflow_(array.dataflow),
      // SCALE-Sim never overlaps folds (REFERENCE.md §2).
      overlap_folds_(array.overlap_folds && timing != TimingMode::kScaleSim),
      sram_(sram),
      runner_(runner) {
  SC_THREAD(run);
}

void SystolicArray::begin_layer(const LayerContext& context) {
  layer_ = context;
  shape_ = array_shape(array_, context.program->dtype);
  free_at_ = context.start;
  streaming_ = false;  // a new layer starts with an empty pipeline
}

Cycles SystolicArray::plan(const Command&, const DepsReady& deps) { return std::max(free_at_, deps.all); }

Cycles SystolicArray::issue(const Command& command, Cycles now) {
  const GemmShape gemm{command.tile.m, command.tile.n, command.tile.k};
  // Back to back with the previous tile, the pipeline never empties (see gemm_tile_streamed_cycles).
  const bool streamed = overlap_folds_ && streaming_ && now == free_at_;
  const Cycles cycles = streamed ? gemm_tile_streamed_cycles(shape_, dataflow_, gemm)
                                 : gemm_tile_cycles(shape_, dataflow_, gemm, overlap_folds_);
  streaming_ = true;
  const SramBytes traffic = array_tile_sram_bytes(shape_, dataflow_, gemm, layer_.program->dtype);
  const Reservation sram = sram_.access(now, traffic.read, traffic.write);
  const StretchedDuration tile = stretch_for_sram(now, cycles, sram.done);
  free_at_ = tile.end;

  LayerStats& stats = *layer_.stats;
  stats.array_busy_cycles += tile.end - now;
  stats.sram_conflict_cycles += tile.conflict_cycles;
  stats.macs += gemm.m * gemm.n * gemm.k;
  stats.compute_tiles += 1;
  stats.sram_read_bytes += traffic.read;
  stats.sram_write_bytes += traffic.write;
  return tile.end;
}

}  // namespace npusim
