#include "arch/timing/sram_timing.h"

#include <algorithm>

namespace npusim {

uint64_t sram_port_bytes_per_cycle(const SramConfig& sram) {
  return static_cast<uint64_t>(sram.banks) * sram.bank_width_bytes;
}

SramBytes array_tile_sram_bytes(const ArrayShape& array, Dataflow dataflow, const GemmShape& gemm,
                                DType dtype) {
  const ArraySramTraffic words = array_sram_traffic(array, dataflow, gemm);
  const Bytes word = dtype_bytes(dtype);
  return {(words.ifmap_reads + words.filter_reads) * word, words.ofmap_writes * word};
}

StretchedDuration stretch_for_sram(Cycles start, Cycles compute_cycles, Cycles sram_done) {
  const Cycles compute_end = start + compute_cycles;
  if (sram_done <= compute_end) return {compute_end, 0};
  return {sram_done, sram_done - compute_end};
}

Cycles sram_port_cycles(const SramConfig& sram, Bytes bytes) {
  if (bytes == 0) return 0;
  return ceil_div(bytes, std::max<uint64_t>(sram_port_bytes_per_cycle(sram), 1)) + sram.latency_cycles;
}

Cycles array_tile_busy_cycles(const ArrayShape& array, Dataflow dataflow, const GemmShape& gemm, DType dtype,
                              const SramConfig& sram, bool overlap_folds, bool streamed) {
  const Cycles compute = streamed ? gemm_tile_streamed_cycles(array, dataflow, gemm)
                                  : gemm_tile_cycles(array, dataflow, gemm, overlap_folds);
  return std::max(compute, sram_port_cycles(sram, array_tile_sram_bytes(array, dataflow, gemm, dtype).total()));
}

}  // namespace npusim
