// GEMM tiling, the cost model: DRAM traffic of a tiling under a loop order (the traffic rule), its
// double-buffered SRAM footprint, and the array cycles of its tiles.
#pragma once

#include <cstdint>
#include <vector>

#include "arch/spec/npu_config.h"
#include "arch/spec/units.h"
#include "workloads/mapper/gemm_search_space.h"

namespace npusim {

// K stays innermost in both orders so an output tile's accumulators stay in SRAM across the reduction
// (no partial-sum spills); the orders differ in which operand they can keep resident.
enum class LoopOrder : uint8_t { kMNK, kNMK };
const char* loop_order_name(LoopOrder order);  // "m-n-k", "n-m-k"

// THE DRAM TRAFFIC RULE. An operand is reloaded whenever its tile changes. Walking a loop nest
// (outermost first), its DRAM bytes = its total tile bytes x the trip counts of the loops that sit
// outside its innermost relevant loop and are irrelevant to it; loops with one trip are ignored (they
// never change a tile), and an operand with no relevant loop of more than one trip loads once.
// Worked example, M in 4 tiles, N in 3 tiles, K in 1 tile:
//   m-n-k: A(m,k): innermost relevant loop m (k has 1 trip), nothing outside it -> |A| x 1;
//          B(k,n): innermost relevant n, outside it m is irrelevant           -> |B| x 4.
//   n-m-k: A: innermost relevant m, outside it n is irrelevant -> |A| x 3; B: n outermost -> |B| x 1.
// With K in 2 tiles both orders give |A| x 3 and |B| x 4: only a one-tile K lets an operand stay resident.
// C is written once per output tile (after its last k step) in both orders.
struct LoopLevel {
  uint64_t trips = 1;
  bool relevant = false;  // the operand's tile index depends on this loop
};
uint64_t reload_factor(const std::vector<LoopLevel>& loops_outermost_first);

struct GemmPlan {
  LoopOrder order = LoopOrder::kMNK;
  MTiling m_tiling;
  uint64_t n_tile = 0;
  uint64_t k_tile_units = 0;
  uint64_t m_trips = 0, n_trips = 0, k_trips = 0;  // per GEMM
  uint64_t compute_tiles = 0;                      // all GEMMs
  Bytes a_read_bytes = 0, b_read_bytes = 0, c_write_bytes = 0;
  Bytes sram_footprint_bytes = 0;
  Bytes dram_bytes() const { return a_read_bytes + b_read_bytes + c_write_bytes; }
};
// Double-buffered working set: 2*(A tile + B tile) operand bytes + 2*(C tile) accumulator bytes.
Bytes gemm_footprint_bytes(const GemmProblem& problem, const MTiling& m_tiling, uint64_t n_tile,
                           uint64_t k_tile_units);
GemmPlan evaluate_gemm_plan(const GemmProblem& problem, const MTiling& m_tiling, uint64_t n_tile,
                            uint64_t k_tile_units, LoopOrder order);
// Sum of gemm_tile_cycles over every tile, each with its own fill and drain: tiles rarely stream back
// to back in the simulation (each waits for its operands' DMA latency), so a tiling of many small
// tiles is charged for it (streamed sums made 64 one-fold tiles win and run +53% slower).
Cycles estimate_gemm_cycles(const GemmProblem& problem, const MTiling& m_tiling, uint64_t n_tile,
                            uint64_t k_tile_units, const NpuConfig& config);

// DRAM bytes per operand of one tiling (the traffic rule, all GEMMs of the problem).
struct GemmTraffic {
  Bytes a = 0, b = 0, c = 0;
  Bytes total() const { return a + b + c; }
};
GemmTraffic gemm_traffic(const GemmProblem& problem, const MTiling& m_tiling, uint64_t n_tile,
                         uint64_t k_tile_units, LoopOrder order);
// Compute tiles of one tiling over all GEMMs.
uint64_t gemm_tile_count(const GemmProblem& problem, const MTiling& m_tiling, uint64_t n_tile,
                         uint64_t k_tile_units);

}  // namespace npusim
