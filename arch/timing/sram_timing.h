// Scratchpad port arithmetic (no SystemC): port width and the bytes an array tile moves through it.
#pragma once

#include <cstdint>

#include "arch/timing/systolic_timing.h"
#include "arch/spec/dtype.h"
#include "arch/spec/npu_config.h"
#include "arch/spec/units.h"

namespace npusim {

// All banks together: banks * bank_width_bytes per cycle.
uint64_t sram_port_bytes_per_cycle(const SramConfig& sram);

struct SramBytes {
  Bytes read = 0;
  Bytes write = 0;
  Bytes total() const { return read + write; }
};

// array_sram_traffic in bytes: (ifmap + filter reads, ofmap/partial-sum writes) * dtype bytes.
SramBytes array_tile_sram_bytes(const ArrayShape& array, Dataflow dataflow, const GemmShape& gemm,
                                DType dtype);

// A unit that needs `compute_cycles` and whose SRAM traffic finishes at `sram_done` (port reservation
// made at `start`, latency included) ends at the later of the two; the difference is the port conflict.
struct StretchedDuration {
  Cycles end = 0;
  Cycles conflict_cycles = 0;
};
StretchedDuration stretch_for_sram(Cycles start, Cycles compute_cycles, Cycles sram_done);

// Cycles a unit issued on an idle port needs for `bytes` of scratchpad traffic: ceil(bytes / port) plus
// the port latency (0 when it moves nothing). A unit ends at the later of its compute and this.
Cycles sram_port_cycles(const SramConfig& sram, Bytes bytes);

// A GEMM tile as the array runs it: its compute cycles (streamed behind the previous tile or not) or,
// when longer, the scratchpad port time of its operand reads and partial-sum writes (stretch_for_sram).
Cycles array_tile_busy_cycles(const ArrayShape& array, Dataflow dataflow, const GemmShape& gemm, DType dtype,
                              const SramConfig& sram, bool overlap_folds, bool streamed);

}  // namespace npusim
