// The mapper's one rule for picking among candidates (GEMM tilings, attention blockings, core splits):
// a search offers candidates in its own order and keeps the best by
//   1. the estimated time, under the latency objective: a candidate faster by more than
//      kEqualTimeTolerance (of the smaller estimate) wins even if it moves more bytes;
//   2. among candidates about equally fast, the fewest DRAM bytes (less energy);
//   3. the search's own tie-breaks (e.g. fewer tiles), then the earlier candidate.
#pragma once

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "arch/spec/npu_config.h"
#include "arch/spec/units.h"

namespace npusim {

// Estimated times differing by less than this fraction of the smaller one count as equal.
inline constexpr double kEqualTimeTolerance = 0.005;

// True when the two estimates differ by more than the tolerance (so the smaller one is clearly faster).
inline bool clearly_different_times(double a_cycles, double b_cycles) {
  return std::fabs(a_cycles - b_cycles) > kEqualTimeTolerance * std::min(a_cycles, b_cycles);
}

// How a search ranks its candidates under the rule: the objective (kLatency: step 1 applies; kTraffic:
// it is skipped), the time and DRAM-traffic estimates, and the tie-break (true when a goes before b).
// Each takes the candidate by non-const reference so that an estimate may be computed once and cached
// in it.
template <class TimeOf, class TrafficOf, class TieBreak>
struct RankBy {
  MapperObjective objective;
  TimeOf time_cycles;
  TrafficOf dram_bytes;
  TieBreak before;
};
template <class TimeOf, class TrafficOf, class TieBreak>
RankBy(MapperObjective, TimeOf, TrafficOf, TieBreak) -> RankBy<TimeOf, TrafficOf, TieBreak>;

// The time estimate of a search that has none (its objective is kTraffic).
inline constexpr auto kNoTimeEstimate = [](const auto&) { return 0.0; };

// Keeps the best candidate offered so far under the rule above.
template <class Candidate, class Rank>
class ChooseBest {
 public:
  explicit ChooseBest(Rank rank) : rank_(std::move(rank)) {}

  // Keeps `candidate` if it is the best so far. Returns the candidate not kept (the one offered, or the
  // best it displaced), so that a search may reuse its buffers; nothing on the first offer.
  std::optional<Candidate> offer(Candidate candidate) {
    if (!best_) {
      best_ = std::move(candidate);
      return std::nullopt;
    }
    if (better(candidate, *best_)) std::swap(candidate, *best_);
    return candidate;
  }
  bool found() const { return best_.has_value(); }
  // The time past which a candidate loses to the best so far on time alone (the latency objective only;
  // infinity when none does): its estimate may stop there. Slightly above the rule's threshold, so
  // rounding never decides.
  double losing_time_cycles() {
    if (!best_ || rank_.objective != MapperObjective::kLatency) return std::numeric_limits<double>::infinity();
    return rank_.time_cycles(*best_) * (1.0 + kEqualTimeTolerance) * (1.0 + 1e-9);
  }
  // True when a candidate estimated at `lower_bound_cycles` or more would lose to the best so far on
  // time alone: the search may skip estimating it exactly.
  bool loses_on_time(double lower_bound_cycles) { return lower_bound_cycles > losing_time_cycles(); }
  Candidate& best() { return *best_; }

 private:
  bool better(Candidate& a, Candidate& b) {
    if (rank_.objective == MapperObjective::kLatency) {
      const double a_cycles = rank_.time_cycles(a);
      const double b_cycles = rank_.time_cycles(b);
      if (clearly_different_times(a_cycles, b_cycles)) return a_cycles < b_cycles;
    }
    const Bytes a_bytes = rank_.dram_bytes(a);
    const Bytes b_bytes = rank_.dram_bytes(b);
    if (a_bytes != b_bytes) return a_bytes < b_bytes;
    return rank_.before(a, b);
  }

  Rank rank_;
  std::optional<Candidate> best_;
};

// choose_best<Candidate>(RankBy{...}): the chooser for one search.
template <class Candidate, class Rank>
ChooseBest<Candidate, Rank> choose_best(Rank rank) {
  return ChooseBest<Candidate, Rank>(std::move(rank));
}

}  // namespace npusim
