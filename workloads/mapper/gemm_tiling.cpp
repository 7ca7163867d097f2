// GEMM tiling search: every tiling of the search space that fits the SRAM, ranked by choose_best.
#include "workloads/mapper/gemm_tiling.h"

#include <algorithm>
#include <limits>

#include "workloads/mapper/choose_best.h"
#include "workloads/mapper/hardware_limits.h"

namespace npusim {
namespace {

struct Candidate {
  const MTiling* m_tiling = nullptr;
  uint64_t n_tile = 0, k_tile_units = 0;
  LoopOrder order = LoopOrder::kMNK;
  Bytes dram_bytes = 0;
  uint64_t tiles = 0;
  Cycles cycles = 0;  // estimated only when the rule needs it
  bool cycles_known = false;
};

// The rule's inputs for a tiling: the latency objective ranks by time, the traffic objective does not.
// The lambdas keep pointers to `problem` and `config`, which outlive the search.
auto gemm_rank(const GemmProblem& problem, const NpuConfig& config) {
  const auto cycles = [problem_ptr = &problem, config_ptr = &config](Candidate& c) {
    if (!c.cycles_known) {
      c.cycles = estimate_gemm_cycles(*problem_ptr, *c.m_tiling, c.n_tile, c.k_tile_units, *config_ptr);
      c.cycles_known = true;
    }
    return c.cycles;
  };
  // Double-buffered layer time: the longer of compute and DMA, plus one average tile's traffic that
  // cannot overlap (the first load and the last store). A single tile serialises load, compute and
  // store; a few tiles let DMA hide under compute.
  const auto time_cycles = [config_ptr = &config, cycles](Candidate& c) {
    const double dma_cycles = static_cast<double>(c.dram_bytes) / dram_bytes_per_cycle(*config_ptr);
    const double exposed = dma_cycles / static_cast<double>(std::max<uint64_t>(c.tiles, 1));
    return std::max(static_cast<double>(cycles(c)), dma_cycles) + exposed;
  };
  const auto dram_bytes = [](Candidate& c) { return c.dram_bytes; };
  const auto before = [cycles](Candidate& a, Candidate& b) {
    if (a.tiles != b.tiles) return a.tiles < b.tiles;
    return cycles(a) < cycles(b);
  };
  return RankBy{config.mapper.objective, time_cycles, dram_bytes, before};
}

}  // namespace

GemmPlan plan_gemm(const GemmProblem& p, const NpuConfig& config, const Operator& op) {
  const Bytes capacity = config.sram.capacity_bytes;
  auto chooser = choose_best<Candidate>(gemm_rank(p, config));
  Bytes smallest = std::numeric_limits<Bytes>::max();
  for (const MTiling& m_tiling : p.m_tilings) {
    smallest =
        std::min(smallest, gemm_footprint_bytes(p, m_tiling, p.n_sizes.front(), p.k_unit_sizes.front()));
    // Sizes ascend and the footprint grows with each, so the first misfit ends the loop.
    for (uint64_t n_tile : p.n_sizes) {
      const auto fits = [&](uint64_t k_tile) {
        return gemm_footprint_bytes(p, m_tiling, n_tile, k_tile) <= capacity;
      };
      if (!fits(p.k_unit_sizes.front())) break;
      // For fixed M and N tiles a larger K tile never adds traffic (fewer K trips can only lower reload
      // factors) and always means fewer tiles, so the largest K tile that fits beats every smaller one.
      const uint64_t k_tile = *(std::partition_point(p.k_unit_sizes.begin(), p.k_unit_sizes.end(), fits) - 1);
      for (LoopOrder order : {LoopOrder::kMNK, LoopOrder::kNMK}) {
        const Bytes dram = gemm_traffic(p, m_tiling, n_tile, k_tile, order).total();
        chooser.offer(
            {&m_tiling, n_tile, k_tile, order, dram, gemm_tile_count(p, m_tiling, n_tile, k_tile), 0, false});
      }
    }
  }
  if (!chooser.found()) throw_sram_too_small(op, smallest, capacity);
  const Candidate& best = chooser.best();
  return evaluate_gemm_plan(p, *best.m_tiling, best.n_tile, best.k_tile_units, best.order);
}

}  // namespace npusim
