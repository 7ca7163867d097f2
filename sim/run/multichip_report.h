// What a multi-chip LLM run reports: the plan, per-chip memory, TTFT/TPOT/throughput of the system,
// and per pass the time split (compute, communication exposed and overlapped, pipeline bubbles), per
// chip and per link busy time, bytes and utilisation, collectives and link energy.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/multichip/system_pass.h"
#include "sim/report/run_report.h"
#include "sim/run/llm_run.h"

namespace npusim {

struct ChipMemory {
  Bytes weight_bytes = 0;
  Bytes kv_cache_bytes = 0;
  Bytes capacity_bytes = 0;
};

struct PlanContext {
  SystemConfig system;
  std::string system_source;
  SystemConfig gpu_system;
  std::string gpu_system_source;
  ShardPlan shard;
  uint64_t prefill_tokens = 1;
  ChipMemory memory;
  double gpu_idle_w = 0.0;  // one GPU's idle power, for the time a GPU of the plan waits
};

// The prefill, then each sampled decode step.
struct SystemRun {
  std::vector<SystemPassResult> passes;
};

// Adds totals.system (and its GPU counterpart) and replaces ttft_s, tpot_s and tokens_per_s with the
// system's; the shard's own are kept under totals.system.shard.
void add_system_report(RunReport& report, const ParallelPlan& plan, const PlanContext& context,
                       const LlmOptions& llm, const SystemRun& npu, const std::optional<SystemRun>& gpu);

std::string system_summary_lines(const nlohmann::ordered_json& totals);

}  // namespace npusim
