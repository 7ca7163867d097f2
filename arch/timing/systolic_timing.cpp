#include "arch/timing/systolic_timing.h"

#include <algorithm>
#include <cmath>

namespace npusim {

SpatialMapping spatial_mapping(Dataflow dataflow, const GemmShape& gemm) {
  switch (dataflow) {
    case Dataflow::kOutputStationary: return {gemm.m, gemm.n, gemm.k};
    case Dataflow::kWeightStationary: return {gemm.k, gemm.n, gemm.m};
    case Dataflow::kInputStationary: return {gemm.k, gemm.m, gemm.n};
  }
  return {gemm.m, gemm.n, gemm.k};
}

ArrayShape array_shape(const ArrayConfig& array, DType dtype) {
  return {array.rows, array.cols, array.count, array.rate_of(dtype)};
}

uint64_t fold_count(const ArrayShape& array, const SpatialMapping& mapping) {
  return ceil_div(mapping.sr, array.rows) * ceil_div(mapping.sc, array.cols);
}

static Cycles preload_cycles(const ArrayShape& array, Dataflow dataflow) {
  return dataflow == Dataflow::kOutputStationary ? 0 : array.rows;
}

Cycles fold_cycles(const ArrayShape& array, Dataflow dataflow, uint64_t t) {
  return t + preload_cycles(array, dataflow) + array.rows + array.cols - 2;
}

FoldRounds fold_rounds(const ArrayShape& array, const SpatialMapping& mapping) {
  const uint64_t folds = fold_count(array, mapping);
  const uint64_t arrays = std::max<uint32_t>(array.count, 1);
  const uint64_t sharing = folds < arrays ? arrays / folds : 1;
  const uint64_t t = ceil_div(mapping.t, sharing);
  FoldRounds out;
  out.rounds = ceil_div(folds * sharing, arrays);
  // Integer rates (and 1/2, 1/4) are exact in binary; the epsilon keeps T / 1.0 from rounding up.
  out.stream_cycles = array.macs_per_pe_cycle == 1.0
                          ? t
                          : static_cast<Cycles>(std::ceil(static_cast<double>(t) / array.macs_per_pe_cycle - 1e-9));
  return out;
}

Cycles gemm_tile_cycles(const ArrayShape& array, Dataflow dataflow, const GemmShape& gemm, bool overlap_folds) {
  const FoldRounds folds = fold_rounds(array, spatial_mapping(dataflow, gemm));
  if (!overlap_folds) return folds.rounds * fold_cycles(array, dataflow, folds.stream_cycles);
  const Cycles preload = preload_cycles(array, dataflow);
  // Fold i+1 can only start streaming once its stationary operands are loaded, which takes `preload`
  // cycles and overlaps fold i's stream; the fill/drain skew H + W - 2 is paid once per tile.
  return preload + folds.rounds * std::max<Cycles>(folds.stream_cycles, preload) + array.rows + array.cols - 2;
}

Cycles gemm_tile_streamed_cycles(const ArrayShape& array, Dataflow dataflow, const GemmShape& gemm) {
  const FoldRounds folds = fold_rounds(array, spatial_mapping(dataflow, gemm));
  return folds.rounds * std::max<Cycles>(folds.stream_cycles, preload_cycles(array, dataflow));
}

double mapping_efficiency(const ArrayShape& array, const SpatialMapping& mapping) {
  const double used = static_cast<double>(mapping.sr) * static_cast<double>(mapping.sc);
  const double allocated = static_cast<double>(fold_count(array, mapping)) * array.rows * array.cols;
  return used / allocated;
}

ArraySramTraffic array_sram_traffic(const ArrayShape& array, Dataflow dataflow, const GemmShape& g) {
  ArraySramTraffic traffic;
  switch (dataflow) {
    case Dataflow::kOutputStationary:
      traffic.ifmap_reads = g.m * g.k * ceil_div(g.n, array.cols);
      traffic.filter_reads = g.k * g.n * ceil_div(g.m, array.rows);
      traffic.ofmap_writes = g.m * g.n;
      break;
    case Dataflow::kWeightStationary:
      traffic.ifmap_reads = g.m * g.k * ceil_div(g.n, array.cols);
      traffic.filter_reads = g.k * g.n;
      traffic.ofmap_writes = g.m * g.n * ceil_div(g.k, array.rows);
      break;
    case Dataflow::kInputStationary:
      traffic.ifmap_reads = g.m * g.k;
      traffic.filter_reads = g.k * g.n * ceil_div(g.m, array.cols);
      traffic.ofmap_writes = g.m * g.n * ceil_div(g.k, array.rows);
      break;
  }
  return traffic;
}

}  // namespace npusim
