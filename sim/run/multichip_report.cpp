// totals.system of a multi-chip LLM run: timings of the system, per-pass splits, per chip and per link.
#include "sim/run/multichip_report.h"

#include <fmt/format.h>

#include <algorithm>

namespace npusim {
namespace {

double seconds(uint64_t ps) { return static_cast<double>(ps) * 1e-12; }

nlohmann::ordered_json chip_rows(const SystemPassResult& pass, const ParallelPlan& plan) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (uint32_t chip = 0; chip < pass.chips.size(); ++chip) {
    const ChipPassStats& stats = pass.chips[chip];
    const uint64_t idle_ps = pass.time_ps - std::min(pass.time_ps, stats.compute_ps + stats.collective_ps);
    rows.push_back({{"chip", chip},
                    {"replica", chip / (plan.pp * plan.tp)},
                    {"stage", chip / plan.tp % plan.pp},
                    {"tp_rank", chip % plan.tp},
                    {"compute_s", seconds(stats.compute_ps)},
                    {"collective_s", seconds(stats.collective_ps)},
                    {"idle_s", seconds(idle_ps)},
                    {"compute_utilization", static_cast<double>(stats.compute_ps) / static_cast<double>(pass.time_ps)}});
  }
  return rows;
}

nlohmann::ordered_json link_rows(const SystemPassResult& pass) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  for (const DirectedChipLink& link : pass.links) {
    if (link.usage.transfers == 0) continue;
    rows.push_back({{"link", link.name},
                    {"bytes", link.usage.bytes},
                    {"transfers", link.usage.transfers},
                    {"busy_s", seconds(link.usage.busy_ps)},
                    {"utilization", static_cast<double>(link.usage.busy_ps) / static_cast<double>(pass.time_ps)}});
  }
  return rows;
}

nlohmann::ordered_json pass_json(const SystemPassResult& pass, const ParallelPlan& plan) {
  uint64_t compute_ps = 0;
  uint64_t collective_ps = 0;
  for (const auto& chip : pass.chips) {
    compute_ps += chip.compute_ps;
    collective_ps += chip.collective_ps;
  }
  const double chips = static_cast<double>(pass.chips.size());
  const uint64_t exposed_ps = pass.time_ps - std::min(pass.time_ps, pass.compute_only_time_ps);
  const double mean_collective_s = seconds(collective_ps) / chips;
  nlohmann::ordered_json collectives = nlohmann::ordered_json::object();
  for (const auto& [kind, count] : pass.collectives) {
    collectives[kind] = {{"count", count.count}, {"bytes", count.bytes}};
  }
  return {{"time_s", seconds(pass.time_ps)},
          {"compute_only_time_s", seconds(pass.compute_only_time_ps)},
          {"mean_chip_compute_s", seconds(compute_ps) / chips},
          {"communication_exposed_s", seconds(exposed_ps)},
          {"communication_overlapped_s", std::max(0.0, mean_collective_s - seconds(exposed_ps))},
          {"pipeline_bubble_fraction",
           1.0 - static_cast<double>(compute_ps) / (chips * static_cast<double>(pass.compute_only_time_ps))},
          {"link_energy_j", pass.link_energy_j},
          {"collectives", collectives},
          {"chips", chip_rows(pass, plan)},
          {"links", link_rows(pass)}};
}

struct SystemTimes {
  double ttft_s = 0.0, decode_s = 0.0, link_energy_j = 0.0;
};

SystemTimes system_times(const SystemRun& run, const std::vector<uint64_t>& sampled, uint64_t decode) {
  std::vector<double> step_s, step_j;
  for (size_t k = 1; k < run.passes.size(); ++k) {
    step_s.push_back(seconds(run.passes[k].time_ps));
    step_j.push_back(run.passes[k].link_energy_j);
  }
  SystemTimes times;
  times.ttft_s = seconds(run.passes.front().time_ps);
  times.link_energy_j = run.passes.front().link_energy_j;
  for (double t : interpolate_step_times(decode, sampled, step_s)) times.decode_s += t;
  for (double j : interpolate_step_times(decode, sampled, step_j)) times.link_energy_j += j;
  return times;
}

// One side's shard (prefill and every decode step of one micro-batch on one chip) and its idle power.
struct ShardEnergy {
  double energy_j = 0.0, e2e_s = 0.0, idle_w = 0.0;
};

ShardEnergy shard_energy(const nlohmann::ordered_json& llm, double idle_w) {
  return {llm["prefill_energy_j"].get<double>() + llm["decode_energy_j"].get<double>(), llm["e2e_s"].get<double>(),
          idle_w};
}

// Every chip runs its shard once per micro-batch, idles the rest of the run, and the links carry the
// collectives: the system's energy, power and generated tokens per joule.
nlohmann::ordered_json energy_json(const ShardEnergy& shard, const SystemTimes& t, const ParallelPlan& plan,
                                   uint32_t micro_batches, double tokens) {
  const double chips = plan.chips();
  const double e2e_s = t.ttft_s + t.decode_s;
  const double chip_j = chips * micro_batches * shard.energy_j;
  const double idle_s = std::max(0.0, chips * e2e_s - chips * micro_batches * shard.e2e_s);
  const double energy_j = chip_j + shard.idle_w * idle_s + t.link_energy_j;
  return {{"energy_j", energy_j},
          {"chip_energy_j", chip_j},
          {"chip_idle_energy_j", shard.idle_w * idle_s},
          {"link_energy_j", t.link_energy_j},
          {"average_power_w", energy_j / e2e_s},
          {"tokens_per_j", tokens / energy_j},
          {"definition", "chips x micro-batches x the shard's prefill and decode energy, plus each chip's idle "
                         "power for the system time it does not run its shard, plus the links; tokens_per_j = "
                         "generated tokens (batch x decode) / energy_j"}};
}

nlohmann::ordered_json system_json(const SystemConfig& system, const std::string& source, const SystemRun& run,
                                   const ParallelPlan& plan, const LlmOptions& llm,
                                   const std::vector<uint64_t>& sampled, uint32_t batch) {
  const SystemTimes t = system_times(run, sampled, llm.decode_tokens);
  return {{"name", system.name},
          {"source", source},
          {"config", system_config_to_json(system)},
          {"chips_used", plan.chips()},
          {"ttft_s", t.ttft_s},
          {"tpot_s", t.decode_s / static_cast<double>(llm.decode_tokens)},
          {"tokens_per_s", static_cast<double>(batch) * static_cast<double>(llm.decode_tokens) / t.decode_s},
          {"e2e_s", t.ttft_s + t.decode_s},
          {"link_energy_j", t.link_energy_j},
          {"prefill", pass_json(run.passes.front(), plan)},
          {"last_decode_step", pass_json(run.passes.back(), plan)}};
}

nlohmann::ordered_json plan_json(const ParallelPlan& plan, const PlanContext& context) {
  return {{"tp", plan.tp},
          {"pp", plan.pp},
          {"ep", plan.ep},
          {"dp", plan.dp},
          {"micro_batches", context.shard.micro_batches},
          {"micro_batch", context.shard.micro_batch},
          {"stage_layers", context.shard.stage_layers},
          {"expert_load_pct", plan.expert_load_pct},
          {"all_reduce", plan.tree_all_reduce ? "tree (recursive halving-doubling)" : "ring"},
          {"shard_workload", format_workload_spec(context.shard.spec)}};
}

// The shard's memory-stall share of its cycles in one pass (its layer rows), splitting a chip's compute
// time into MAC/vector-busy time and time stalled on memory.
void add_memory_stall_split(nlohmann::ordered_json& pass, const RunReport& report, const WorkloadSummary& workload) {
  double cycles = 0.0, stall_cycles = 0.0;
  for (size_t row = workload.first_layer; row < workload.end_layer; ++row) {
    const auto& layer = report.layers[row];
    if (!layer.contains("cycles") || !layer.contains("stall_memory_cycles")) return;
    cycles += layer["cycles"].get<double>();
    stall_cycles += layer["stall_memory_cycles"].get<double>();
  }
  if (cycles <= 0.0) return;
  const double compute_s = pass["mean_chip_compute_s"].get<double>();
  pass["mean_chip_memory_stall_s"] = compute_s * stall_cycles / cycles;
  pass["mean_chip_compute_busy_s"] = compute_s * (1.0 - stall_cycles / cycles);
}

}  // namespace

void add_system_report(RunReport& report, const ParallelPlan& plan, const PlanContext& context,
                       const LlmOptions& llm, const SystemRun& npu, const std::optional<SystemRun>& gpu) {
  nlohmann::ordered_json& totals = report.totals;
  const auto sampled = totals["llm"]["simulated_decode_steps"].get<std::vector<uint64_t>>();
  const uint32_t batch = context.shard.batch;
  nlohmann::ordered_json system = system_json(context.system, context.system_source, npu, plan, llm, sampled, batch);
  const double tokens = static_cast<double>(batch) * static_cast<double>(llm.decode_tokens);
  const uint32_t micro = context.shard.micro_batches;
  system["energy"] = energy_json(shard_energy(totals["llm"], totals["idle_power_w"].get<double>()),
                                 system_times(npu, sampled, llm.decode_tokens), plan, micro, tokens);
  system["batch"] = batch;
  add_memory_stall_split(system["prefill"], report, report.workloads.front());
  add_memory_stall_split(system["last_decode_step"], report, report.workloads.back());
  system["plan"] = plan_json(plan, context);
  system["memory_per_chip"] = {{"weight_bytes", context.memory.weight_bytes},
                               {"kv_cache_bytes", context.memory.kv_cache_bytes},
                               {"capacity_bytes", context.memory.capacity_bytes}};
  system["shard"] = {{"ttft_s", totals["ttft_s"]}, {"tpot_s", totals["tpot_s"]}, {"tokens_per_s", totals["tokens_per_s"]}};
  if (gpu) {
    system["gpu"] = system_json(context.gpu_system, context.gpu_system_source, *gpu, plan, llm, sampled, batch);
    system["gpu"]["speedup_npu_over_gpu_tpot"] = system["gpu"]["tpot_s"].get<double>() / system["tpot_s"].get<double>();
    system["gpu"]["energy"] = energy_json(shard_energy(totals["llm"]["gpu"], context.gpu_idle_w),
                                          system_times(*gpu, sampled, llm.decode_tokens), plan, micro, tokens);
    system["gpu"]["tokens_per_j_ratio_npu_over_gpu"] = system["energy"]["tokens_per_j"].get<double>() /
                                                       system["gpu"]["energy"]["tokens_per_j"].get<double>();
  }
  system["notes"] = {
      "layer rows, cycles and energy_j are one chip's shard (chip 0: stage 0, TP rank 0)",
      "the shard runs the busiest stage's ceil(layers / pp) layers with the embedding and LM head; stages "
      "run the head and embedding only where they belong",
      "TP and EP collectives sit on the critical path; pipeline sends overlap later micro-batches",
      "links are granted first come, first served in schedule order (micro-batch, stage, replica)"};
  totals["ttft_s"] = system["ttft_s"];
  totals["tpot_s"] = system["tpot_s"];
  totals["tokens_per_s"] = system["tokens_per_s"];
  totals["system"] = system;
}

std::string system_summary_lines(const nlohmann::ordered_json& totals) {
  const auto& s = totals["system"];
  const auto& plan = s["plan"];
  std::string out = fmt::format(
      "\nSystem {} ({} chips used): tp {} pp {} ep {} dp {}, batch {}: TTFT {:.6f} s, TPOT {:.6f} s, "
      "{:.2f} tokens/s; prefill communication exposed {:.6f} s, bubble {:.3f}; link energy {:.3f} J; system "
      "energy {:.3f} J, {:.1f} W, {:.3f} tokens/J\n",
      s["name"].get<std::string>(), s["chips_used"].get<uint32_t>(), plan["tp"].get<uint32_t>(),
      plan["pp"].get<uint32_t>(), plan["ep"].get<uint32_t>(), plan["dp"].get<uint32_t>(),
      s["batch"].get<uint32_t>(), s["ttft_s"].get<double>(), s["tpot_s"].get<double>(),
      s["tokens_per_s"].get<double>(), s["prefill"]["communication_exposed_s"].get<double>(),
      s["prefill"]["pipeline_bubble_fraction"].get<double>(), s["link_energy_j"].get<double>(),
      s["energy"]["energy_j"].get<double>(), s["energy"]["average_power_w"].get<double>(),
      s["energy"]["tokens_per_j"].get<double>());
  if (s.contains("gpu")) {
    const auto& g = s["gpu"];
    out += fmt::format("GPU system {} (same plan): TTFT {:.6f} s, TPOT {:.6f} s, {:.2f} tokens/s; system energy "
                       "{:.3f} J, {:.1f} W, {:.3f} tokens/J (NPU/GPU tokens per joule {:.2f})\n",
                       g["name"].get<std::string>(), g["ttft_s"].get<double>(), g["tpot_s"].get<double>(),
                       g["tokens_per_s"].get<double>(), g["energy"]["energy_j"].get<double>(),
                       g["energy"]["average_power_w"].get<double>(), g["energy"]["tokens_per_j"].get<double>(),
                       g["tokens_per_j_ratio_npu_over_gpu"].get<double>());
  }
  return out;
}

}  // namespace npusim
