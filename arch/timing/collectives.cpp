// Step schedules of the ring, recursive halving-doubling, all-to-all and point-to-point collectives,
// and their execution over the link reservations.
#include "arch/timing/collectives.h"

#include <algorithm>
#include <map>
#include <stdexcept>

namespace npusim {
namespace {

CollectiveSteps ring_steps(const std::vector<uint32_t>& group, Bytes chunk, size_t steps) {
  CollectiveSteps out(steps);
  const size_t n = group.size();
  for (auto& step : out) {
    for (size_t i = 0; i < n; ++i) step.push_back(StepTransfer{group[i], group[(i + 1) % n], chunk});
  }
  return out;
}

// Reduce-scatter by recursive halving (partners n/2 apart first, halving the data each step), then the
// all-gather mirror by recursive doubling.
CollectiveSteps halving_doubling_steps(const std::vector<uint32_t>& group, Bytes bytes) {
  const size_t n = group.size();
  if ((n & (n - 1)) != 0) throw std::logic_error("tree all-reduce needs a power-of-two group");
  CollectiveSteps halving;
  Bytes chunk = bytes;
  for (size_t distance = n / 2; distance >= 1; distance /= 2) {
    chunk = ceil_div(chunk, 2);
    std::vector<StepTransfer> step;
    for (size_t i = 0; i < n; ++i) step.push_back(StepTransfer{group[i], group[i ^ distance], chunk});
    halving.push_back(step);
  }
  CollectiveSteps out = halving;
  out.insert(out.end(), halving.rbegin(), halving.rend());
  return out;
}

}  // namespace

const char* collective_kind_name(CollectiveKind kind) {
  switch (kind) {
    case CollectiveKind::kAllReduceRing: return "all_reduce_ring";
    case CollectiveKind::kAllReduceTree: return "all_reduce_tree";
    case CollectiveKind::kReduceScatter: return "reduce_scatter";
    case CollectiveKind::kAllGather: return "all_gather";
    case CollectiveKind::kAllToAll: return "all_to_all";
    case CollectiveKind::kSendRecv: return "send_recv";
  }
  return "?";
}

CollectiveSteps collective_steps(CollectiveKind kind, const std::vector<uint32_t>& group, Bytes bytes) {
  const size_t n = group.size();
  if (n < 2 || bytes == 0) return {};
  const Bytes chunk = ceil_div(bytes, n);
  switch (kind) {
    case CollectiveKind::kAllReduceRing: return ring_steps(group, chunk, 2 * (n - 1));
    case CollectiveKind::kAllReduceTree: return halving_doubling_steps(group, bytes);
    case CollectiveKind::kReduceScatter:
    case CollectiveKind::kAllGather: return ring_steps(group, chunk, n - 1);
    case CollectiveKind::kAllToAll: {
      std::vector<StepTransfer> step;
      // One step, ordered by offset: every member's k-th chunk is booked before anyone's (k+1)-th, so on
      // a switch no downlink waits (member i's k-th chunk goes to i + k).
      for (size_t k = 1; k < n; ++k) {
        for (size_t i = 0; i < n; ++i) step.push_back(StepTransfer{group[i], group[(i + k) % n], chunk});
      }
      return {step};
    }
    case CollectiveKind::kSendRecv: return {{StepTransfer{group[0], group[1], bytes}}};
  }
  return {};
}

uint64_t run_collectives(ChipLinkFabric& fabric, const std::vector<CollectiveSteps>& groups, uint64_t start_ps) {
  std::map<uint32_t, uint64_t> ready_ps;  // per chip: done with its previous step
  size_t steps = 0;
  for (const auto& group : groups) {
    steps = std::max(steps, group.size());
    for (const auto& step : group) {
      for (const auto& t : step) ready_ps[t.src] = ready_ps[t.dst] = start_ps + fabric.host_overhead_ps();
    }
  }
  uint64_t done_ps = start_ps;
  for (size_t s = 0; s < steps; ++s) {
    std::map<uint32_t, uint64_t> next = ready_ps;
    for (const auto& group : groups) {
      if (s >= group.size()) continue;
      for (const auto& t : group[s]) {
        const uint64_t arrival_ps = fabric.transfer(t.src, t.dst, t.bytes, ready_ps[t.src]);
        next[t.dst] = std::max(next[t.dst], arrival_ps);
        next[t.src] = std::max(next[t.src], arrival_ps);
      }
    }
    ready_ps = next;
  }
  for (const auto& [chip, t] : ready_ps) done_ps = std::max(done_ps, t);
  return done_ps;
}

}  // namespace npusim
