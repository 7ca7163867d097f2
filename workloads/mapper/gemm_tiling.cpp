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
  // Double-buffered layer time as a three-stage pipeline (load, compute, store), bounded as a flow shop:
  // either compute runs end to end after the first A and B tiles land, or DMA does and the last tile's
  // compute follows it; the last C tile's store is exposed either way. A single tile serialises load,
  // compute and store; a weight tile loaded once ahead of many small M tiles shows whole.
  const auto time_cycles = [problem_ptr = &problem, config_ptr = &config, cycles](Candidate& c) {
    const GemmProblem& p = *problem_ptr;
    const double bytes_per_cycle = dram_bytes_per_cycle(*config_ptr);
    const double compute = static_cast<double>(cycles(c));
    const double dma_cycles = static_cast<double>(c.dram_bytes) / bytes_per_cycle;
    const double head_bytes = static_cast<double>(
        (c.m_tiling->max_a_units * c.k_tile_units + c.k_tile_units * p.k_per_unit * c.n_tile) * p.elem_bytes);
    const double tail_bytes = static_cast<double>(c.m_tiling->max_m * c.n_tile * p.elem_bytes);
    const double last_tile = compute / static_cast<double>(std::max<uint64_t>(c.tiles, 1));
    return std::max(head_bytes / bytes_per_cycle + compute, dma_cycles + last_tile) + tail_bytes / bytes_per_cycle;
  };
  const auto dram_bytes = [](Candidate& c) { return c.dram_bytes; };
  const auto before = [cycles](Candidate& a, Candidate& b) {
    if (a.tiles != b.tiles) return a.tiles < b.tiles;
    return cycles(a) < cycles(b);
  };
  return RankBy{config.mapper.objective, time_cycles, dram_bytes, before};
}

}  // namespace

namespace {

// Every candidate of the search space that fits `capacity` bytes of SRAM, in the search's order;
// `smallest` gets the smallest footprint of all.
std::vector<Candidate> fitting_candidates(const GemmProblem& p, Bytes capacity, Bytes& smallest) {
  std::vector<Candidate> out;
  smallest = std::numeric_limits<Bytes>::max();
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
        out.push_back(
            {&m_tiling, n_tile, k_tile, order, dram, gemm_tile_count(p, m_tiling, n_tile, k_tile), 0, false});
      }
    }
  }
  return out;
}

GemmPlan as_plan(const GemmProblem& p, const Candidate& c) {
  return evaluate_gemm_plan(p, *c.m_tiling, c.n_tile, c.k_tile_units, c.order);
}

bool same_tiling(const Candidate& a, const Candidate& b) {
  return a.m_tiling == b.m_tiling && a.n_tile == b.n_tile && a.k_tile_units == b.k_tile_units && a.order == b.order;
}

void add_if_new(const Candidate& c, std::vector<Candidate>& out) {
  if (std::none_of(out.begin(), out.end(), [&c](const Candidate& o) { return same_tiling(o, c); })) out.push_back(c);
}

// The `count` candidates fastest by estimated time (ties in the search's order), each added unless `out`
// holds it.
template <class Rank>
void add_fastest(std::vector<Candidate>& candidates, const Rank& rank, size_t count, std::vector<Candidate>& out) {
  std::vector<std::pair<double, size_t>> by_time;
  for (size_t i = 0; i < candidates.size(); ++i) by_time.emplace_back(rank.time_cycles(candidates[i]), i);
  std::stable_sort(by_time.begin(), by_time.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t i = 0; i < std::min(count, by_time.size()); ++i) add_if_new(candidates[by_time[i].second], out);
}

// The shortlist one scratchpad makes: the rule's pick, the `count` fastest, and the `count` fastest of
// the tilings it has and twice its capacity has not (the smaller K tiles that only now are the largest
// that fit: the closed form ranks them poorly, the schedule often well). The set depends only on the
// two candidate lists, so the shortlists of several scratchpads nest as their capacities do.
template <class Rank>
void add_shortlist(std::vector<Candidate>& candidates, const std::vector<Candidate>& twice, const Rank& rank,
                   size_t count, std::vector<Candidate>& out) {
  auto chooser = choose_best<Candidate>(rank);
  for (const Candidate& c : candidates) chooser.offer(c);
  add_if_new(chooser.best(), out);
  add_fastest(candidates, rank, count, out);
  std::vector<Candidate> fresh;
  for (const Candidate& c : candidates) {
    if (std::none_of(twice.begin(), twice.end(), [&c](const Candidate& t) { return same_tiling(t, c); })) {
      fresh.push_back(c);
    }
  }
  add_fastest(fresh, rank, count, out);
}

}  // namespace

GemmPlan plan_gemm(const GemmProblem& p, const NpuConfig& config, const Operator& op) {
  return gemm_plan_shortlist(p, config, op, 1).front();
}

std::vector<GemmPlan> gemm_plan_shortlist(const GemmProblem& p, const NpuConfig& config, const Operator& op,
                                          size_t count) {
  Bytes smallest = 0;
  std::vector<Candidate> candidates = fitting_candidates(p, config.sram.capacity_bytes, smallest);
  if (candidates.empty()) throw_sram_too_small(op, smallest, config.sram.capacity_bytes);
  const auto rank = gemm_rank(p, config);
  std::vector<Candidate> picked;
  if (count <= 1 || config.mapper.objective != MapperObjective::kLatency) {
    add_shortlist(candidates, candidates, rank, 0, picked);  // the rule's pick alone
  } else {
    // The shortlists of this SRAM and of a half, a quarter, ... of it, down to the smallest scratchpad
    // any tiling fits: the closed form does not depend on the capacity, so the shortlist of 2C holds that
    // of C and more SRAM only adds plans for the schedule to choose from. (Keeping three smaller levels
    // lost C/8's plans at 2C: +3.9% on ViT-B/16 on tpu-v4 with twice the SRAM.) The lowering skips,
    // before emitting them, the plans its lower bound shows to lose.
    Bytes ignored = 0;
    std::vector<Candidate> twice = fitting_candidates(p, 2 * config.sram.capacity_bytes, ignored);
    for (Bytes capacity = config.sram.capacity_bytes; capacity >= smallest && !candidates.empty(); capacity /= 2) {
      add_shortlist(candidates, twice, rank, count, picked);
      twice = std::move(candidates);
      candidates = fitting_candidates(p, capacity / 2, ignored);
    }
  }
  std::vector<GemmPlan> out;
  for (const Candidate& c : picked) out.push_back(as_plan(p, c));
  return out;
}

}  // namespace npusim
