// Systolic-array timing arithmetic (SCALE-Sim's per-fold model, REFERENCE.md §2), SystemC-free.
#pragma once

#include <cstdint>

#include "arch/spec/npu_config.h"
#include "arch/spec/units.h"

namespace npusim {

// One core's MAC arrays as the timing sees them for one operand type: `count` identical H x W arrays,
// each PE completing `macs_per_pe_cycle` MACs per cycle (0.5: a bf16 MAC takes two cycles).
struct ArrayShape {
  uint32_t rows = 1;  // H
  uint32_t cols = 1;  // W
  uint32_t count = 1;
  double macs_per_pe_cycle = 1.0;
};
ArrayShape array_shape(const ArrayConfig& array, DType dtype);

struct GemmShape {
  uint64_t m = 1, n = 1, k = 1;
};

// The GEMM dimensions placed on rows (Sr), columns (Sc) and streamed in time (T) per dataflow:
// OS: (M, N, K), WS: (K, N, M), IS: (K, M, N).
struct SpatialMapping {
  uint64_t sr = 1, sc = 1, t = 1;
};
SpatialMapping spatial_mapping(Dataflow dataflow, const GemmShape& gemm);

uint64_t fold_count(const ArrayShape& array, const SpatialMapping& mapping);

// Cycles of one fold without overlap: OS T + H + W - 2; WS and IS T + 2H + W - 2 (H preload cycles).
// `t` is in cycles (already divided by the MAC rate).
Cycles fold_cycles(const ArrayShape& array, Dataflow dataflow, uint64_t t);

// How a tile's F folds go over the core's A arrays: with F >= A, round-robin, ceil(F / A) rounds of
// whole folds; with F < A, each fold is shared by g = floor(A / F) arrays that hold the same stationary
// operand and each stream 1/g of T (one round). `stream_cycles` = ceil(ceil(T / g) / macs_per_pe_cycle).
struct FoldRounds {
  uint64_t rounds = 1;
  Cycles stream_cycles = 0;
};
FoldRounds fold_rounds(const ArrayShape& array, const SpatialMapping& mapping);

// A GEMM tile's cycles. Without overlap: rounds * fold_cycles. With overlap, consecutive folds stream
// back to back (the next fold's preload hides under the current stream, as double-buffered weight
// registers do): rounds * max(stream, preload) + the pipeline fill/drain (and first preload) once.
Cycles gemm_tile_cycles(const ArrayShape& array, Dataflow dataflow, const GemmShape& gemm, bool overlap_folds);

// A tile that starts the moment the previous tile of the same layer finished, with fold overlap on: the
// array's pipeline is still full, so its first preload hides under the previous tile's stream and its
// fill/drain skew under the next one's, exactly as between folds: rounds * max(stream, preload). The skew
// and first preload stay charged to the first tile of the run.
Cycles gemm_tile_streamed_cycles(const ArrayShape& array, Dataflow dataflow, const GemmShape& gemm);

// Used PEs over allocated PE-folds: Sr*Sc / (folds*H*W).
double mapping_efficiency(const ArrayShape& array, const SpatialMapping& mapping);

// Words the array reads from and writes to its scratchpad for one GEMM (SCALE-Sim's counts,
// REFERENCE.md §2): operand re-reads per fold and partial-sum writes per row fold.
struct ArraySramTraffic {
  uint64_t ifmap_reads = 0;
  uint64_t filter_reads = 0;
  uint64_t ofmap_writes = 0;
};
ArraySramTraffic array_sram_traffic(const ArrayShape& array, Dataflow dataflow, const GemmShape& gemm);

}  // namespace npusim
