// Places one pass of a parallel plan on the system: stages in micro-batch order, TP collectives and
// stage-to-stage sends on the link reservations, then the same schedule with free links.
#include "analysis/multichip/system_pass.h"

#include <algorithm>

namespace npusim {
namespace {

struct PassState {
  const ParallelPlan& plan;
  ChipLinkFabric* fabric;  // nullptr: free links
  SystemPassResult& result;
  bool record = false;
};

void record(PassState& state, const std::vector<uint32_t>& group, uint64_t start_ps, uint64_t end_ps,
            const char* what) {
  if (!state.record || end_ps <= start_ps) return;
  for (uint32_t chip : group) state.result.chip_spans.push_back(ChipSpan{chip, start_ps, end_ps, what});
}

std::vector<uint32_t> tp_group(const ParallelPlan& plan, uint32_t replica, uint32_t stage) {
  std::vector<uint32_t> group;
  for (uint32_t rank = 0; rank < plan.tp; ++rank) group.push_back(plan_chip(plan, replica, stage, rank));
  return group;
}

// Runs segments on one TP group from start_ps; returns when the group is done.
uint64_t run_segments(PassState& state, const std::vector<PassSegment>& segments,
                      const std::vector<uint32_t>& group, uint64_t start_ps) {
  uint64_t t = start_ps;
  for (const PassSegment& segment : segments) {
    record(state, group, t, t + segment.compute_ps, "compute");
    t += segment.compute_ps;
    for (uint32_t chip : group) state.result.chips[chip].compute_ps += segment.compute_ps;
    if (!segment.collective || group.size() < 2 || state.fabric == nullptr) continue;
    const uint64_t done = run_collectives(*state.fabric, {collective_steps(segment.kind, group, segment.bytes)}, t);
    for (uint32_t chip : group) state.result.chips[chip].collective_ps += done - t;
    record(state, group, t, done, collective_kind_name(segment.kind));
    CollectiveCount& count = state.result.collectives[collective_kind_name(segment.kind)];
    count.count += 1;
    count.bytes += segment.bytes;
    t = done;
  }
  return t;
}

// Each TP rank sends its 1/tp of the activations to the same rank of the next stage.
uint64_t send_to_next_stage(PassState& state, uint32_t replica, uint32_t stage, Bytes bytes, uint64_t ready_ps) {
  if (state.fabric == nullptr) return ready_ps;
  uint64_t arrival_ps = ready_ps;
  const Bytes share = ceil_div(bytes, state.plan.tp);
  for (uint32_t rank = 0; rank < state.plan.tp; ++rank) {
    const uint32_t src = plan_chip(state.plan, replica, stage, rank);
    const uint32_t dst = plan_chip(state.plan, replica, stage + 1, rank);
    arrival_ps = std::max(arrival_ps, state.fabric->transfer(src, dst, share, ready_ps));
  }
  CollectiveCount& count = state.result.collectives[collective_kind_name(CollectiveKind::kSendRecv)];
  count.count += state.plan.tp;
  count.bytes += bytes;
  return arrival_ps;
}

std::vector<PassSegment> stage_segments(const PassSegments& segments, uint32_t stage, uint32_t stages) {
  std::vector<PassSegment> out;
  if (stage == 0) out = segments.first_stage;
  out.insert(out.end(), segments.layers.begin(), segments.layers.end());
  if (stage + 1 == stages) out.insert(out.end(), segments.last_stage.begin(), segments.last_stage.end());
  return out;
}

uint64_t schedule(PassState& state, uint32_t micro_batches, const PassSegments& segments) {
  const ParallelPlan& plan = state.plan;
  // free_ps[replica][stage]: when the stage's chips finish their last micro-batch; arrival of each
  // micro-batch's activations at a stage, per replica.
  std::vector<std::vector<uint64_t>> free_ps(plan.dp, std::vector<uint64_t>(plan.pp, 0));
  std::vector<std::vector<uint64_t>> arrival_ps(plan.dp, std::vector<uint64_t>(plan.pp, 0));
  uint64_t end_ps = 0;
  for (uint32_t micro = 0; micro < micro_batches; ++micro) {
    for (uint32_t stage = 0; stage < plan.pp; ++stage) {
      const std::vector<PassSegment> work = stage_segments(segments, stage, plan.pp);
      for (uint32_t replica = 0; replica < plan.dp; ++replica) {
        const uint64_t start_ps = std::max(free_ps[replica][stage], stage == 0 ? 0 : arrival_ps[replica][stage]);
        const uint64_t done_ps = run_segments(state, work, tp_group(plan, replica, stage), start_ps);
        free_ps[replica][stage] = done_ps;
        end_ps = std::max(end_ps, done_ps);
        if (stage + 1 < plan.pp) {
          arrival_ps[replica][stage + 1] =
              send_to_next_stage(state, replica, stage, segments.stage_send_bytes, done_ps);
        }
      }
    }
  }
  return end_ps;
}

}  // namespace

uint32_t plan_chip(const ParallelPlan& plan, uint32_t replica, uint32_t stage, uint32_t rank) {
  return (replica * plan.pp + stage) * plan.tp + rank;
}

SystemPassResult run_system_pass(const SystemConfig& system, const ParallelPlan& plan, uint32_t micro_batches,
                                 const PassSegments& segments, bool record_spans) {
  SystemPassResult result;
  result.chips.resize(plan.chips());
  ChipLinkFabric fabric(system);
  if (record_spans) fabric.record_spans();
  PassState linked{plan, &fabric, result, record_spans};
  result.time_ps = schedule(linked, micro_batches, segments);
  result.links = fabric.links();
  result.link_spans = fabric.spans();
  result.link_energy_j = fabric.energy_pj() * 1e-12;

  SystemPassResult free_links;
  free_links.chips.resize(plan.chips());
  PassState unlinked{plan, nullptr, free_links, false};
  result.compute_only_time_ps = schedule(unlinked, micro_batches, segments);
  return result;
}

}  // namespace npusim
