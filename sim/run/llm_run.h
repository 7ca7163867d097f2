// LLM mode of `npusim run` (--prefill N --decode M): the prompt's prefill, then decode steps over a
// growing KV cache, simulated together in one process and reported as time to first token, time per
// output token and tokens per second.
#pragma once

#include <cstdint>
#include <vector>

#include "sim/report/run_report.h"
#include "sim/run/run_job.h"

namespace npusim {

// Decode steps simulated by default; the others are interpolated (see interpolate_step_times).
inline constexpr uint32_t kDefaultDecodeSamples = 8;

struct LlmOptions {
  uint64_t prefill_tokens = 0;                      // 0: the workload spec's seq (or the model's default)
  uint64_t decode_tokens = 0;                       // decode steps, one output token per sequence each
  uint32_t decode_samples = kDefaultDecodeSamples;  // decode steps simulated; 0: every step
};

// Which decode steps (0-based, step i attends over prefill + i cached tokens) are simulated: all of
// them when samples is 0 or >= steps, else `samples` steps spread evenly from the first to the last.
std::vector<uint64_t> sampled_decode_steps(uint64_t steps, uint32_t samples);

// Per-step times for every step from the sampled ones: linear in the step index (the cache length)
// between neighbouring samples. sampled_steps ascending, starting at 0 and ending at steps - 1.
std::vector<double> interpolate_step_times(uint64_t steps, const std::vector<uint64_t>& sampled_steps,
                                           const std::vector<double>& sampled_times_s);

// Validates the request (one decoder workload with a KV cache, positive token counts, the weights and
// the final KV cache within npu.dram.capacity_bytes), runs prefill + sampled decode steps as one
// simulation and adds ttft_s, tpot_s, tokens_per_s and the sampling method to the totals.
RunReport execute_llm_run(const RunOptions& options, const LlmOptions& llm);

// `npusim run` in LLM mode: the table plus the LLM summary, result.json and layers.csv.
int llm_run_command(const RunOptions& options, const LlmOptions& llm);

}  // namespace npusim
