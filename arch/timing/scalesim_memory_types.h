// Inputs and outputs of the SCALE-Sim v2 memory-system replay (scalesim_memory_replay.h): one topology
// row, the memory configuration of a .cfg, and every number of SCALE-Sim's three report rows.
#pragma once

#include <cstdint>

#include "arch/spec/core_config.h"
#include "arch/timing/systolic_timing.h"

namespace npusim {

// One SCALE-Sim topology row after topology_utils.py (GEMM rows already as [m, k, 1, k, 1, n, 1, 1]).
struct ScaleSimLayerShape {
  uint32_t ifmap_h = 1, ifmap_w = 1;
  uint32_t filter_h = 1, filter_w = 1;
  uint32_t channels = 1, num_filters = 1;
  uint32_t stride_h = 1, stride_w = 1;
};

// single_layer_sim.run()'s memory set-up: word size 1 byte, active fraction 0.5, read/write port
// latency 1/0 cycles. USER: every buffer's backing bandwidth is Bandwidth[0] words/cycle; CALC:
// ifmap and filter 10 words/cycle with the estimating read buffer, ofmap ArrayWidth words/cycle.
struct ScaleSimMemorySetup {
  ArrayShape array;
  Dataflow dataflow = Dataflow::kOutputStationary;
  uint32_t ifmap_sram_kb = 1, filter_sram_kb = 1, ofmap_sram_kb = 1;
  bool calc_bandwidth = false;
  uint32_t user_bandwidth_words_per_cycle = 1;
};

// One operand's line of DETAILED_ACCESS_REPORT. SCALE-Sim keeps every cycle as a float64 and the
// counts as ints; the cycles here are the same integers.
struct ScaleSimOperandAccess {
  int64_t sram_start_cycle = 0, sram_stop_cycle = 0;
  uint64_t sram_accesses = 0;
  int64_t dram_start_cycle = 0, dram_stop_cycle = 0;
  uint64_t dram_accesses = 0;
};

struct ScaleSimLayerReport {
  uint64_t total_cycles = 0;  // int(last ofmap demand row's serviced cycle)
  uint64_t stall_cycles = 0;
  double overall_util_percent = 0.0, mapping_efficiency_percent = 0.0, compute_util_percent = 0.0;
  ScaleSimOperandAccess ifmap, filter, ofmap;
  // BANDWIDTH_REPORT: SRAM accesses / total cycles; DRAM accesses / (stop - start + 1), words/cycle.
  double ifmap_sram_bw = 0.0, filter_sram_bw = 0.0, ofmap_sram_bw = 0.0;
  double ifmap_dram_bw = 0.0, filter_dram_bw = 0.0, ofmap_dram_bw = 0.0;
};

}  // namespace npusim
