#include "arch/timing/systolic_timing.h"

#include <algorithm>

namespace npusim {

SpatialMapping spatial_mapping(Dataflow dataflow, const GemmShape& gemm) {
  switch (dataflow) {
    case Dataflow::kOutputStationary: return {gemm.m, gemm.n, gemm.k};
    case Dataflow::kWeightStationary: return {gemm.k, gemm.n, gemm.m};
    case Dataflow::kInputStationary: return {gemm.k, gemm.m, gemm.n};
  }
  return {gemm.m, gemm.n, gemm.k};
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

Cycles gemm_tile_cycles(const ArrayShape& array, Dataflow dataflow, const GemmShape& gemm, bool overlap_folds) {
  const SpatialMapping mapping = spatial_mapping(dataflow, gemm);
  const uint64_t folds = fold_count(array, mapping);
  if (!overlap_folds) return folds * fold_cycles(array, dataflow, mapping.t);
  const Cycles preload = preload_cycles(array, dataflow);
  // Fold i+1 can only start streaming once its stationary operands are loaded, which takes `preload`
  // cycles and overlaps fold i's stream; the fill/drain skew H + W - 2 is paid once per tile.
  return preload + folds * std::max<Cycles>(mapping.t, preload) + array.rows + array.cols - 2;
}

Cycles gemm_tile_streamed_cycles(const ArrayShape& array, Dataflow dataflow, const GemmShape& gemm) {
  const SpatialMapping mapping = spatial_mapping(dataflow, gemm);
  return fold_count(array, mapping) * std::max<Cycles>(mapping.t, preload_cycles(array, dataflow));
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
