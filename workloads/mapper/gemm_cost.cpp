// GEMM tiling cost model: traffic rule, footprint, tile cycles (see gemm_cost.h).
#include "workloads/mapper/gemm_cost.h"

#include <algorithm>
#include <array>
#include <optional>
#include <utility>

#include "arch/timing/systolic_timing.h"

namespace npusim {

const char* loop_order_name(LoopOrder order) { return order == LoopOrder::kMNK ? "m-n-k" : "n-m-k"; }

uint64_t reload_factor(const std::vector<LoopLevel>& loops_outermost_first) {
  std::optional<size_t> innermost;
  for (size_t i = 0; i < loops_outermost_first.size(); ++i) {
    if (loops_outermost_first[i].relevant && loops_outermost_first[i].trips > 1) innermost = i;
  }
  if (!innermost) return 1;  // a single tile: loaded once
  uint64_t factor = 1;
  for (size_t i = 0; i < *innermost; ++i) {
    if (!loops_outermost_first[i].relevant) factor *= loops_outermost_first[i].trips;
  }
  return factor;
}

Bytes gemm_footprint_bytes(const GemmProblem& p, const MTiling& m_tiling, uint64_t n_tile,
                           uint64_t k_tile_units) {
  const Bytes a_tile = m_tiling.max_a_units * k_tile_units * p.elem_bytes;
  const Bytes b_tile = k_tile_units * p.k_per_unit * n_tile * p.elem_bytes;
  const Bytes c_tile = m_tiling.max_m * n_tile * p.acc_bytes;
  return 2 * (a_tile + b_tile) + 2 * c_tile;
}

// The traffic rule applied to one GEMM's (m, n, k) nest; the group/batch loop wraps it and is relevant
// to every operand (each group has its own A, B and C), so it multiplies totals, never reloads.
GemmTraffic gemm_traffic(const GemmProblem& p, const MTiling& m_tiling, uint64_t n_tile,
                         uint64_t k_tile_units, LoopOrder order) {
  const uint64_t m_trips = m_tiling.tiles;
  const uint64_t n_trips = ceil_div(p.n, n_tile);
  const uint64_t k_trips = ceil_div(p.k_units, k_tile_units);
  const auto nest = [&](bool m_relevant, bool n_relevant) {
    const LoopLevel m{m_trips, m_relevant};
    const LoopLevel n{n_trips, n_relevant};
    const LoopLevel k{k_trips, true};
    return order == LoopOrder::kMNK ? std::vector<LoopLevel>{m, n, k} : std::vector<LoopLevel>{n, m, k};
  };
  GemmTraffic traffic;
  traffic.a = m_tiling.sum_a_units * p.k_units * p.elem_bytes * reload_factor(nest(true, false));
  traffic.b = p.k_units * p.k_per_unit * p.n * p.elem_bytes * reload_factor(nest(false, true));
  traffic.c = p.m * p.n * p.elem_bytes;
  traffic.a *= p.gemm_count;
  traffic.b *= p.gemm_count;
  traffic.c *= p.gemm_count;
  return traffic;
}

uint64_t gemm_tile_count(const GemmProblem& p, const MTiling& m_tiling, uint64_t n_tile,
                         uint64_t k_tile_units) {
  return p.gemm_count * m_tiling.tiles * ceil_div(p.n, n_tile) * ceil_div(p.k_units, k_tile_units);
}

namespace {

// (size, count) of the full tiles and the remainder tile of a dimension.
std::array<std::pair<uint64_t, uint64_t>, 2> split(uint64_t extent, uint64_t tile) {
  return {{{tile, extent / tile}, {extent % tile, extent % tile > 0 ? 1 : 0}}};
}

}  // namespace

GemmPlan evaluate_gemm_plan(const GemmProblem& p, const MTiling& m_tiling, uint64_t n_tile,
                            uint64_t k_tile_units, LoopOrder order) {
  const GemmTraffic traffic = gemm_traffic(p, m_tiling, n_tile, k_tile_units, order);
  GemmPlan plan;
  plan.order = order;
  plan.m_tiling = m_tiling;
  plan.n_tile = n_tile;
  plan.k_tile_units = k_tile_units;
  plan.m_trips = m_tiling.tiles;
  plan.n_trips = ceil_div(p.n, n_tile);
  plan.k_trips = ceil_div(p.k_units, k_tile_units);
  plan.compute_tiles = gemm_tile_count(p, m_tiling, n_tile, k_tile_units);
  plan.a_read_bytes = traffic.a;
  plan.b_read_bytes = traffic.b;
  plan.c_write_bytes = traffic.c;
  plan.sram_footprint_bytes = gemm_footprint_bytes(p, m_tiling, n_tile, k_tile_units);
  return plan;
}

Cycles estimate_gemm_cycles(const GemmProblem& p, const MTiling& m_tiling, uint64_t n_tile,
                            uint64_t k_tile_units, const NpuConfig& config) {
  const ArrayShape array = array_shape(config.array, p.dtype);
  Cycles per_repeat = 0;
  for (const MTileRun& run : m_tiling.runs) {
    for (const auto& [n, n_count] : split(p.n, n_tile)) {
      for (const auto& [k_units, k_count] : split(p.k_units, k_tile_units)) {
        if (n_count == 0 || k_count == 0) continue;
        const GemmShape tile{run.tile.m, n, k_units * p.k_per_unit};
        per_repeat += run.count * n_count * k_count *
                      gemm_tile_cycles(array, config.array.dataflow, tile, config.array.overlap_folds);
      }
    }
  }
  return per_repeat * m_tiling.repeat * p.gemm_count;
}

}  // namespace npusim
