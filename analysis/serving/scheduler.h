// Iteration-level schedulers for LLM serving over a paged KV cache.
//   vllm:    prefill-first continuous batching. When waiting requests fit (sequences, token budget, free
//            KV blocks for the whole prompt), the iteration prefills them whole and decodes nothing;
//            otherwise every running sequence decodes one token.
//   sarathi: decode-first with chunked prefill under a token budget (Sarathi-Serve): every running
//            sequence decodes, then prefill chunks (at most `prefill_chunk` tokens each) of partly
//            prefilled and then newly admitted sequences fill the rest of max_batched_tokens.
//   static:  fixed batches, the old way: the requests waiting when the previous batch has drained
//            (up to max_num_seqs, KV reserved for input + output) prefill together, then decode until
//            the last of them finishes; nobody joins in between.
// KV blocks: a sequence holds ceil(cached tokens / block_tokens) blocks. Admission reserves the
// prompt's blocks (static: prompt + output). When a decode needs a new block and none is free, the
// least urgent running sequence (largest priority value, then latest arrival, as vLLM picks) is
// preempted: by recompute (its blocks are freed and it goes back to the queue to prefill its prompt plus
// the tokens it had generated) or by swap (its blocks are copied to host memory over the host link and
// back before it resumes; swapped sequences resume, in queue order, before anything new is admitted).
// Priority (vLLM's convention: a lower value is more urgent, default 0) orders the waiting queue, then
// arrival; a running sequence is not preempted to admit a more urgent one.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "analysis/serving/step_cost.h"

namespace npusim {

enum class SchedulerPolicy { kVllm, kSarathi, kStatic };
const char* scheduler_policy_name(SchedulerPolicy policy);

enum class PreemptionMode { kRecompute, kSwap };
const char* preemption_mode_name(PreemptionMode mode);

struct SchedulerConfig {
  SchedulerPolicy policy = SchedulerPolicy::kVllm;
  uint32_t max_num_seqs = 256;
  uint64_t max_batched_tokens = 8192;
  uint64_t prefill_chunk = 512;  // sarathi: largest prefill piece of one sequence per iteration
  uint64_t block_tokens = 16;
  uint64_t kv_blocks = 0;  // blocks the cache holds
  PreemptionMode preemption = PreemptionMode::kRecompute;
  double swap_block_s = 0.0;  // swap: one KV block over the host link, one way
};

struct Sequence {
  size_t request = 0;          // index into the engine's requests (arrival order)
  int32_t priority = 0;        // lower is more urgent
  uint64_t input_tokens = 0;
  uint64_t prompt_tokens = 0;  // to prefill: the input, plus what was generated before a preemption
  uint64_t prefilled = 0;      // of prompt_tokens, in the KV cache
  uint64_t cached = 0;         // tokens in the KV cache
  uint64_t generated = 0;      // output tokens so far
  uint64_t output_tokens = 0;  // to generate in all
  uint64_t blocks = 0;         // KV blocks held
  uint64_t reserve_tokens = 0; // static: tokens reserved at admission
};

// One iteration: which sequences (indices into SchedulerState::running) do what.
struct PlannedWork {
  size_t running_index = 0;
  uint64_t query_tokens = 0;  // prefill chunk, or 1 for a decode
  bool prefill = false;
};

struct SchedulerState {
  std::deque<Sequence> waiting;   // arrived, not running, by (priority, arrival)
  std::deque<Sequence> swapped;   // swap-preempted, KV in host memory, by (priority, arrival)
  std::vector<Sequence> running;  // admission order
  uint64_t free_blocks = 0;
  uint64_t preemptions = 0;
  std::vector<size_t> preempted_requests;  // one entry per preemption, for per-request counts
  uint64_t swap_out_blocks = 0;  // moved by the plan being made (the engine charges and clears them)
  uint64_t swap_in_blocks = 0;
};

uint64_t blocks_for(uint64_t tokens, uint64_t block_tokens);

// Puts `sequence` into `queue` after every entry at least as urgent (priority, then arrival).
void enqueue_by_priority(std::deque<Sequence>& queue, const Sequence& sequence);

// Plans the next iteration from the state (admitting, preempting and allocating blocks as it goes).
// Empty: nothing can run until a request arrives.
std::vector<PlannedWork> plan_iteration(const SchedulerConfig& config, SchedulerState& state);

}  // namespace npusim
