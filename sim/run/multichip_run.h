// LLM mode over a multi-chip system (`npusim run --system S --tp/--pp/--ep/--dp`): one chip's shard is
// simulated (prefill and sampled decode steps), then each pass is placed on the system with its
// collectives over the modeled links (analysis/multichip). The GPU side runs the same plan over a GPU
// system's links from the same shard's GPU op times.
#pragma once

#include <string>

#include "arch/spec/system_config.h"
#include "sim/report/run_report.h"
#include "sim/run/llm_run.h"
#include "sim/run/run_job.h"
#include "workloads/parallel/parallel_plan.h"

namespace npusim {

struct MultichipOptions {
  std::string system;       // preset (configs/systems/) or file
  std::string gpu_system;   // the GPU server for the same plan; empty: none
  ParallelPlan plan;
  uint32_t chips = 0;       // 0: the system's
  bool npu_given = false;   // --npu overrides the system's chip preset
};

// The InputError at --tp for a plan whose weights and KV cache exceed a chip's DRAM, by how much.
[[noreturn]] void throw_plan_does_not_fit(Bytes weight_bytes, Bytes kv_cache_bytes, Bytes capacity_bytes);

// `timeline_json` (when not null and options.timeline_file is set) receives the system's timeline.
RunReport execute_multichip_llm_run(const RunOptions& options, const LlmOptions& llm, const MultichipOptions& mc,
                                    std::string* timeline_json = nullptr);
int multichip_llm_run_command(const RunOptions& options, const LlmOptions& llm, const MultichipOptions& mc);

}  // namespace npusim
