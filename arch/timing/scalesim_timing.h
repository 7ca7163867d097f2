// SCALE-Sim v2 per-layer accounting (timing mode "scalesim"), SystemC-free: folds, per-fold cycles,
// compute cycles, mapping efficiency, compute utilisation and SRAM/DRAM word counts as scale-sim-v2
// computes them, so npusim and SCALE-Sim can be compared layer by layer.
//
// Source read: scalesim-project/scale-sim-v2, main branch (compute/systolic_compute_os.py @aabd619,
// systolic_compute_ws.py @a47e96e, systolic_compute_is.py @903a141, single_layer_sim.py,
// memory/double_buffered_scratchpad_mem.py @1eea742, topology_utils.py @18975c2). Dense layers only.
//
// Per fold (Sr on rows, Sc on columns, T streamed; folds in SCALE-Sim's order: column fold outer,
// row fold inner) every demand matrix has L rows, and the memory system services one row per cycle:
//   OS: L = T + H + W - 2        (ifmap: T + (W-1) suffix rows, skewed over H columns: + H - 1)
//   WS: L = T + 2H + W - 2       (ifmap: H preload prefix + T + (W-1) suffix, skewed: + H - 1)
//   IS: L = T + 2H + W - 2       (ifmap: H + (H + W + T - 2) suffix rows, not skewed)
// compute cycles = folds * L - 1: COMPUTE_REPORT's "Total Cycles" is int(ofmap_serviced_cycles[-1]),
// the 0-based index of the last demand row, plus stalls; the fill before cycle 0 is not counted.
// Per fold f with rows_used x cols_used PEs mapped (mac_used = rows_used * cols_used):
//   mapping_eff_f = mac_used / (H*W)
//   compute_util_f = mac_used * T / (H*W * C), C = L for OS (ofmap demand: (T-1) + H rows + W - 1)
//                    and C = T + 2H + 2W - 3 for WS/IS (filter resp. ifmap demand rows + W - 1).
// Reported values are the plain means over folds (sum(list) / len(list)), i.e. in closed form
//   mapping efficiency  = Sr*Sc / (folds*H*W),   compute utilisation = Sr*Sc*T / (folds*H*W*C);
// they are evaluated here in SCALE-Sim's own floating-point order (see scalesim_timing.cpp).
#pragma once

#include <cstdint>

#include "arch/timing/systolic_timing.h"
#include "arch/spec/npu_config.h"
#include "arch/spec/units.h"

namespace npusim {

// One fold in SCALE-Sim's order: index = col_fold * row_folds + row_fold.
struct ScaleSimFold {
  uint64_t row_fold = 0, col_fold = 0;
  uint64_t rows_used = 0, cols_used = 0;  // PEs mapped in this fold (partial folds at the edges)
};

// Words (1 word = 1 byte in SCALE-Sim) read from / written to the three SRAMs by the array.
struct ScaleSimSramCounts {
  uint64_t ifmap_reads = 0;
  uint64_t filter_reads = 0;
  uint64_t ofmap_writes = 0;
};

struct ScaleSimLayerTiming {
  SpatialMapping mapping;            // Sr, Sc, T for the dataflow
  uint64_t row_folds = 0;            // ceil(Sr / H)
  uint64_t col_folds = 0;            // ceil(Sc / W)
  uint64_t folds = 0;                // row_folds * col_folds * repeats
  Cycles fold_cycles = 0;            // L
  Cycles util_fold_cycles = 0;       // C, the per-fold denominator of compute utilisation
  Cycles compute_cycles = 0;         // folds * L - 1: SCALE-Sim's Total Cycles when nothing stalls
  double mapping_efficiency = 0.0;   // fraction; SCALE-Sim reports it * 100
  double compute_utilisation = 0.0;  // fraction; SCALE-Sim reports it * 100
  ScaleSimSramCounts sram;
};

// repeats > 1 runs the same GEMM that many times back to back as one layer (grouped convolutions,
// batched matmuls): SCALE-Sim has no such layer, the folds simply repeat.
ScaleSimLayerTiming scalesim_layer_timing(const ArrayShape& array, Dataflow dataflow, const GemmShape& gemm,
                                          uint64_t repeats = 1);

// The fold at `index` (0 <= index < row_folds * col_folds) in SCALE-Sim's order.
ScaleSimFold scalesim_fold(const ArrayShape& array, const SpatialMapping& mapping, uint64_t index);

// A fold as a GEMM tile (m, n, k) that gemm_tile_cycles(..., overlap_folds=false) runs in exactly L
// cycles: OS (rows_used, cols_used, T), WS (T, cols_used, rows_used), IS (cols_used, T, rows_used).
GemmShape scalesim_fold_gemm(Dataflow dataflow, const SpatialMapping& mapping, const ScaleSimFold& fold);

// Words a cold layer moves between DRAM and the SRAMs (npusim's model of SCALE-Sim's double-buffered
// read buffers, not its trace count): an operand whose im2col matrix fits the active half of its
// SRAM (ceil(kB*1024/2) words) is fetched once; otherwise the operand tile a fold needs is fetched
// whenever it differs from the previous fold's. OFMAP writes are every SRAM write (WS/IS partial
// sums per row fold included). word_bytes scales the residency test for wider words.
struct ScaleSimDramCounts {
  uint64_t ifmap_reads = 0;
  uint64_t filter_reads = 0;
  uint64_t ofmap_writes = 0;
};
bool scalesim_operand_resident(uint64_t operand_bytes, uint32_t sram_kb);
ScaleSimDramCounts scalesim_cold_dram_traffic(const ArrayShape& array, Dataflow dataflow,
                                              const GemmShape& gemm, const ScaleSimConfig& config,
                                              uint32_t word_bytes = 1, uint64_t repeats = 1);

// SCALE-Sim's layer total: compute cycles + stall cycles (folds * L - 1 + stalls).
Cycles scalesim_total_cycles(Cycles compute_cycles, Cycles stall_cycles);
// Overall utilisation = MACs / (total cycles * H * W), total = compute + stall cycles, as a fraction.
double scalesim_overall_utilisation(uint64_t macs, Cycles compute_cycles, Cycles stall_cycles,
                                    const ArrayShape& array);
// The percentages exactly as single_layer_sim.calc_report_data() computes them:
// overall = (MACs * 100) / (total * H * W); mapping and compute = mean * 100.
double scalesim_overall_util_percent(uint64_t macs, Cycles compute_cycles, Cycles stall_cycles,
                                     const ArrayShape& array);
double scalesim_percent(double fraction);

}  // namespace npusim
