#include "analysis/serving/scheduler.h"

#include <algorithm>
#include <cstddef>
#include <tuple>

namespace npusim {

const char* scheduler_policy_name(SchedulerPolicy policy) {
  switch (policy) {
    case SchedulerPolicy::kVllm:
      return "vllm";
    case SchedulerPolicy::kSarathi:
      return "sarathi";
    case SchedulerPolicy::kStatic:
      return "static";
  }
  return "?";
}

const char* preemption_mode_name(PreemptionMode mode) {
  return mode == PreemptionMode::kSwap ? "swap" : "recompute";
}

void enqueue_by_priority(std::deque<Sequence>& queue, const Sequence& sequence) {
  const auto later = std::upper_bound(queue.begin(), queue.end(), sequence, [](const Sequence& a, const Sequence& b) {
    return std::tie(a.priority, a.request) < std::tie(b.priority, b.request);
  });
  queue.insert(later, sequence);
}

uint64_t blocks_for(uint64_t tokens, uint64_t block_tokens) { return (tokens + block_tokens - 1) / block_tokens; }

namespace {

bool prefill_done(const Sequence& s) { return s.prefilled == s.prompt_tokens; }

// Admits the head of the queue if it fits; returns false otherwise.
bool admit_front(const SchedulerConfig& config, SchedulerState& state, uint64_t reserve_tokens) {
  Sequence& head = state.waiting.front();
  const uint64_t need = blocks_for(reserve_tokens, config.block_tokens);
  if (state.running.size() >= config.max_num_seqs || need > state.free_blocks) return false;
  state.free_blocks -= need;
  head.blocks = need;
  head.reserve_tokens = reserve_tokens;
  state.running.push_back(head);
  state.waiting.pop_front();
  return true;
}

// The least urgent running sequence: the largest priority value, then the latest arrival.
size_t victim_index(const std::vector<Sequence>& running) {
  size_t victim = 0;
  for (size_t i = 1; i < running.size(); ++i) {
    const Sequence& a = running[i];
    const Sequence& b = running[victim];
    if (std::tie(a.priority, a.request) > std::tie(b.priority, b.request)) victim = i;
  }
  return victim;
}

// Preempts the least urgent running sequence by recompute or swap; returns its index in `running`
// (now removed).
size_t preempt_one(const SchedulerConfig& config, SchedulerState& state) {
  const size_t index = victim_index(state.running);
  Sequence victim = state.running[index];
  state.running.erase(state.running.begin() + static_cast<std::ptrdiff_t>(index));
  state.free_blocks += victim.blocks;
  state.preemptions += 1;
  state.preempted_requests.push_back(victim.request);
  if (config.preemption == PreemptionMode::kSwap) {
    state.swap_out_blocks += victim.blocks;  // blocks stays: what it needs back on swap-in
    enqueue_by_priority(state.swapped, victim);
    return index;
  }
  victim.blocks = 0;
  victim.prompt_tokens = victim.input_tokens + victim.generated;  // all its tokens, recomputed
  victim.prefilled = 0;
  victim.cached = 0;
  enqueue_by_priority(state.waiting, victim);
  return index;
}

// Swapped sequences come back (most urgent first) while their blocks and a sequence slot are free.
void swap_in(const SchedulerConfig& config, SchedulerState& state) {
  while (!state.swapped.empty() && state.running.size() < config.max_num_seqs) {
    Sequence& head = state.swapped.front();
    // Room for its next token too, or the decode that follows would swap it straight out again.
    const uint64_t need = std::max(head.blocks, blocks_for(head.cached + 1, config.block_tokens));
    if (need > state.free_blocks) break;
    state.free_blocks -= head.blocks;
    state.swap_in_blocks += head.blocks;
    state.running.push_back(head);
    state.swapped.pop_front();
  }
}

// Every running sequence past its prefill decodes one token; blocks for the new token are taken, and
// sequences are preempted (latest first) until they are there. Returns the decodes planned.
std::vector<PlannedWork> plan_decodes(const SchedulerConfig& config, SchedulerState& state) {
  for (size_t i = 0; i < state.running.size();) {
    Sequence& s = state.running[i];
    if (!prefill_done(s) || blocks_for(s.cached + 1, config.block_tokens) <= s.blocks) {
      ++i;
      continue;
    }
    if (state.free_blocks > 0) {
      state.free_blocks -= 1;
      s.blocks += 1;
      ++i;
      continue;
    }
    // The victim may sit before i (its removal shifts s down) or be s itself.
    const size_t victim = preempt_one(config, state);
    if (victim < i) --i;
  }
  std::vector<PlannedWork> work;
  for (size_t i = 0; i < state.running.size(); ++i)
    if (prefill_done(state.running[i])) work.push_back({i, 1, false});
  return work;
}

std::vector<PlannedWork> plan_vllm(const SchedulerConfig& config, SchedulerState& state) {
  std::vector<PlannedWork> work;
  uint64_t budget = config.max_batched_tokens;
  swap_in(config, state);
  // Nothing new is admitted while swapped sequences wait for blocks (vLLM's rule): they come first.
  while (state.swapped.empty() && !state.waiting.empty() && state.waiting.front().prompt_tokens <= budget) {
    const uint64_t prompt = state.waiting.front().prompt_tokens;
    if (!admit_front(config, state, prompt)) break;
    budget -= prompt;
    work.push_back({state.running.size() - 1, prompt, true});
  }
  if (!work.empty()) return work;
  return plan_decodes(config, state);
}

std::vector<PlannedWork> plan_sarathi(const SchedulerConfig& config, SchedulerState& state) {
  swap_in(config, state);
  std::vector<PlannedWork> work = plan_decodes(config, state);
  uint64_t budget = config.max_batched_tokens > work.size() ? config.max_batched_tokens - work.size() : 0;
  for (size_t i = 0; i < state.running.size() && budget > 0; ++i) {
    const Sequence& s = state.running[i];
    if (prefill_done(s)) continue;
    const uint64_t chunk = std::min({s.prompt_tokens - s.prefilled, budget, config.prefill_chunk});
    work.push_back({i, chunk, true});
    budget -= chunk;
  }
  while (budget > 0 && state.swapped.empty() && !state.waiting.empty()) {
    const uint64_t prompt = state.waiting.front().prompt_tokens;
    if (!admit_front(config, state, prompt)) break;
    const uint64_t chunk = std::min({prompt, budget, config.prefill_chunk});
    work.push_back({state.running.size() - 1, chunk, true});
    budget -= chunk;
  }
  return work;
}

std::vector<PlannedWork> plan_static(const SchedulerConfig& config, SchedulerState& state) {
  if (!state.running.empty()) return plan_decodes(config, state);
  std::vector<PlannedWork> work;
  uint64_t budget = config.max_batched_tokens;
  while (!state.waiting.empty() && state.waiting.front().prompt_tokens <= budget) {
    const Sequence& head = state.waiting.front();
    const uint64_t prompt = head.prompt_tokens;
    if (!admit_front(config, state, head.prompt_tokens + head.output_tokens - head.generated)) break;
    budget -= prompt;
    work.push_back({state.running.size() - 1, prompt, true});
  }
  return work;
}

}  // namespace

std::vector<PlannedWork> plan_iteration(const SchedulerConfig& config, SchedulerState& state) {
  switch (config.policy) {
    case SchedulerPolicy::kVllm:
      return plan_vllm(config, state);
    case SchedulerPolicy::kSarathi:
      return plan_sarathi(config, state);
    case SchedulerPolicy::kStatic:
      return plan_static(config, state);
  }
  return {};
}

}  // namespace npusim
