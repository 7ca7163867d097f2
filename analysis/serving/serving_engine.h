// The serving event engine: requests arrive, the scheduler plans an iteration, the step-cost model says
// how long it takes and what energy it uses, the clock advances to its end, tokens come out. Repeats
// until every request has finished. The engine only sees "work items that arrive at a time" and "an
// iteration shape with a cost": a later periodic source (video frames, issue 15) adds its own arrivals to
// the same queue of time-ordered events.
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/serving/frame_scheduler.h"
#include "analysis/serving/scheduler.h"
#include "analysis/serving/step_cost.h"
#include "workloads/traffic/serve_request.h"

namespace npusim {

struct RequestRecord {
  double arrival_s = 0.0;
  double admitted_s = -1.0;     // first admission (queueing = admitted - arrival)
  double first_token_s = -1.0;  // end of the iteration that produced the first output token
  double finish_s = -1.0;
  uint32_t preemptions = 0;
  double ttft_s() const { return first_token_s - arrival_s; }
  double e2e_s() const { return finish_s - arrival_s; }
};

struct IterationRecord {
  double start_s = 0.0;
  double time_s = 0.0;
  double energy_j = 0.0;
  uint64_t prefill_tokens = 0;
  uint32_t prefill_seqs = 0;
  uint32_t decode_seqs = 0;
  uint64_t kv_blocks_used = 0;  // after the iteration's allocations
  uint64_t past_tokens = 0;     // KV-cache tokens the iteration's sequences attend over, summed
  uint64_t swap_blocks = 0;     // KV blocks swapped out and in before it (time_s includes them)
};

struct ServingRun {
  std::vector<RequestRecord> requests;  // in the order given
  std::vector<IterationRecord> iterations;
  double start_s = 0.0;     // first arrival
  double duration_s = 0.0;  // first arrival to last finish
  double busy_energy_j = 0.0;
  double idle_energy_j = 0.0;
  uint64_t preemptions = 0;
  uint64_t kv_blocks_peak = 0;
  uint64_t swap_out_blocks = 0;
  uint64_t swap_in_blocks = 0;
  double swap_time_s = 0.0;
};

// requests sorted by arrival. Every request must be able to run alone (its input + output tokens within
// the KV cache, and, for vllm and static, its prompt within max_batched_tokens): the caller checks.
ServingRun run_serving(const std::vector<ServeRequest>& requests, const SchedulerConfig& config,
                       const StepCostModel& costs, bool keep_iterations);

// The same engine with periodic frames beside the requests (either may be empty). Frames outrank LLM
// iterations: whenever a frame job is ready it runs (a piece at a time, to the layer boundary after the
// next arrival), and an LLM iteration starts only when none is; a running iteration is never cut short.
// With frames the clock starts at 0 and runs until the frames and the requests are all done.
ServingRun run_serving(const std::vector<ServeRequest>& requests, const SchedulerConfig& config,
                       const StepCostModel& costs, bool keep_iterations, FrameScheduler* frames);

}  // namespace npusim
