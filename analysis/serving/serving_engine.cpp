#include "analysis/serving/serving_engine.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace npusim {
namespace {

Sequence new_sequence(const ServeRequest& request, size_t index) {
  Sequence s;
  s.request = index;
  s.priority = request.priority;
  s.input_tokens = request.input_tokens;
  s.prompt_tokens = request.input_tokens;
  s.output_tokens = request.output_tokens;
  return s;
}

StepShape shape_of(const std::vector<PlannedWork>& work, const SchedulerState& state) {
  StepShape shape;
  shape.seqs.reserve(work.size());
  for (const PlannedWork& w : work) {
    const Sequence& s = state.running[w.running_index];
    shape.seqs.push_back({w.query_tokens, s.cached});
  }
  return shape;
}

// Advances the planned sequences past the iteration that ended at `now`; finished ones leave.
void complete_iteration(const std::vector<PlannedWork>& work, SchedulerState& state, double now,
                        std::vector<RequestRecord>& records) {
  for (const PlannedWork& w : work) {
    Sequence& s = state.running[w.running_index];
    s.cached += w.query_tokens;
    if (w.prefill) {
      s.prefilled += w.query_tokens;
      if (s.prefilled < s.prompt_tokens) continue;  // a chunk that does not end the prompt: no token
    }
    s.generated += 1;
    RequestRecord& record = records[s.request];
    if (record.first_token_s < 0.0) record.first_token_s = now;
    if (s.generated == s.output_tokens) record.finish_s = now;
  }
  std::vector<Sequence> still;
  still.reserve(state.running.size());
  for (Sequence& s : state.running) {
    if (s.generated == s.output_tokens)
      state.free_blocks += s.blocks;
    else
      still.push_back(s);
  }
  state.running.swap(still);
}

// The iteration's record before its cost is known (token and sequence counts); marks first admissions.
IterationRecord start_iteration(const std::vector<PlannedWork>& work, const SchedulerState& state, double now,
                                std::vector<RequestRecord>& records) {
  IterationRecord it;
  it.start_s = now;
  for (const PlannedWork& w : work) {
    const Sequence& s = state.running[w.running_index];
    if (records[s.request].admitted_s < 0.0) records[s.request].admitted_s = now;
    if (w.prefill) {
      it.prefill_tokens += w.query_tokens;
      it.prefill_seqs += 1;
    } else {
      it.decode_seqs += 1;
    }
    it.past_tokens += s.cached;
  }
  return it;
}

}  // namespace

ServingRun run_serving(const std::vector<ServeRequest>& requests, const SchedulerConfig& config,
                       const StepCostModel& costs, bool keep_iterations) {
  return run_serving(requests, config, costs, keep_iterations, nullptr);
}

ServingRun run_serving(const std::vector<ServeRequest>& requests, const SchedulerConfig& config,
                       const StepCostModel& costs, bool keep_iterations, FrameScheduler* frames) {
  ServingRun run;
  run.requests.resize(requests.size());
  for (size_t i = 0; i < requests.size(); ++i) run.requests[i].arrival_s = requests[i].arrival_s;
  SchedulerState state;
  state.free_blocks = config.kv_blocks;
  const double start = frames != nullptr ? 0.0 : requests.empty() ? 0.0 : requests.front().arrival_s;
  double now = start;
  size_t next = 0, finished = 0;
  const double never = std::numeric_limits<double>::infinity();
  while (finished < requests.size() || (frames != nullptr && !frames->done())) {
    while (next < requests.size() && requests[next].arrival_s <= now) {
      enqueue_by_priority(state.waiting, new_sequence(requests[next], next));
      ++next;
    }
    const double next_request_s = next < requests.size() ? requests[next].arrival_s : never;
    if (frames != nullptr) {
      frames->admit_until(now);
      if (frames->has_work()) {
        now = frames->run_segment(now, std::min(next_request_s, frames->next_arrival_s()));
        continue;
      }
    }
    const std::vector<PlannedWork> work = plan_iteration(config, state);
    for (size_t request : state.preempted_requests) run.requests[request].preemptions += 1;
    state.preempted_requests.clear();
    if (work.empty()) {
      const double wake_s = std::min(next_request_s, frames != nullptr ? frames->next_arrival_s() : never);
      if (wake_s == never) throw std::logic_error("serving: no request can run (caller must check sizes)");
      run.idle_energy_j += costs.idle_power_w() * (wake_s - now);
      now = wake_s;
      continue;
    }
    IterationRecord it = start_iteration(work, state, now, run.requests);
    const StepCost cost = costs.cost(shape_of(work, state));
    // Swaps planned with this iteration run before it (vLLM's cache engine), the device otherwise idle.
    it.swap_blocks = state.swap_out_blocks + state.swap_in_blocks;
    const double swap_s = static_cast<double>(it.swap_blocks) * config.swap_block_s;
    run.swap_out_blocks += state.swap_out_blocks;
    run.swap_in_blocks += state.swap_in_blocks;
    run.swap_time_s += swap_s;
    state.swap_out_blocks = state.swap_in_blocks = 0;
    it.time_s = cost.time_s + swap_s;
    it.energy_j = cost.energy_j + costs.idle_power_w() * swap_s;
    it.kv_blocks_used = config.kv_blocks - state.free_blocks;
    run.kv_blocks_peak = std::max(run.kv_blocks_peak, it.kv_blocks_used);
    run.busy_energy_j += it.energy_j;
    now += it.time_s;
    const size_t before = state.running.size();
    complete_iteration(work, state, now, run.requests);
    finished += before - state.running.size();
    if (keep_iterations) run.iterations.push_back(it);
  }
  run.start_s = start;
  run.duration_s = now - start;
  run.preemptions = state.preemptions;
  return run;
}

}  // namespace npusim
