// LLM mode: validation, the prefill + sampled decode steps as one run, and the TTFT/TPOT totals.
#include "sim/run/llm_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <optional>
#include <string>
#include <utility>

#include "arch/spec/input_error.h"
#include "sim/run/llm_comparison.h"
#include "sim/run/workload_loader.h"
#include "workloads/workload_spec.h"
#include "workloads/zoo/model_zoo.h"

namespace npusim {
namespace {

// The validated request: the user's spec (without seq and past) and what the run needs to know.
struct LlmRequest {
  WorkloadSpec spec;
  uint64_t prefill = 0;
  uint64_t decode = 0;
  uint32_t batch = 1;
  Bytes kv_bytes_per_token = 0;  // all sequences of the batch
  Bytes weight_bytes = 0;        // parameters in DRAM
  std::vector<uint64_t> sampled_steps;
};

std::string pass_spec(WorkloadSpec spec, uint64_t seq, uint64_t past) {
  spec.params["seq"] = std::to_string(seq);
  if (past > 0) spec.params["past"] = std::to_string(past);
  return format_workload_spec(spec);
}

Workload load(const RunOptions& options, const std::string& spec, DType dtype) {
  return load_workload(WorkloadRequest{spec, options.batch, std::nullopt}, dtype);
}

uint64_t prompt_length(const Workload& workload) {
  for (const auto& op : workload.ops) {
    if (const auto* attention = std::get_if<AttentionParams>(&op.params)) return attention->q_len;
  }
  return 0;
}

// The weights and the KV cache after the last decode step must fit npu.dram.capacity_bytes.
void check_dram_capacity(const LlmRequest& request, const NpuConfig& config, const std::string& config_file) {
  const Bytes capacity = config.dram.capacity_bytes;
  const uint64_t cached_tokens = request.prefill + request.decode;
  const Bytes kv_bytes = request.kv_bytes_per_token * cached_tokens;
  if (request.weight_bytes > capacity) {
    throw InputError(config_file, "npu.dram.capacity_bytes",
                     fmt::format("model weights of {} bytes exceed npu.dram.capacity_bytes ({} bytes)",
                                 request.weight_bytes, capacity));
  }
  if (kv_bytes > capacity - request.weight_bytes) {
    throw InputError(
        config_file, "npu.dram.capacity_bytes",
        fmt::format("KV cache of {} bytes exceeds npu.dram.capacity_bytes: {} bytes less {} bytes "
                    "of weights leaves {} for {} tokens x {} sequences",
                    kv_bytes, capacity, request.weight_bytes, capacity - request.weight_bytes, cached_tokens,
                    request.batch));
  }
}

LlmRequest validate(const RunOptions& options, const LlmOptions& llm, const NpuConfig& config,
                    const std::string& config_file) {
  if (!options.host_stats_file.empty()) {
    throw InputError("<cli>", "--host-stats",
                     "not available with --decode; time the run with /usr/bin/time -v");
  }
  if (llm.decode_tokens == 0)
    throw InputError("<cli>", "--decode", "expected a positive number of decode steps");
  if (options.workloads.size() != 1) {
    throw InputError("<cli>", "--workload",
                     "--decode takes exactly one decoder LLM workload (gpt2, llama2-7b, llama3.1-8b), got " +
                         std::to_string(options.workloads.size()));
  }
  LlmRequest request;
  request.decode = llm.decode_tokens;
  const std::string& text = options.workloads.front();
  const DType dtype = resolve_dtype(options, config);
  // Builds the workload as given first, so that a non-LLM workload is reported as such.
  const Workload as_given = load(options, text, dtype);
  request.kv_bytes_per_token = workload_kv_cache_bytes_per_token(as_given);
  if (request.kv_bytes_per_token == 0) {
    throw InputError("<cli>", "--decode",
                     "needs a decoder LLM workload with a KV cache (gpt2, llama2-7b, llama3.1-8b); '" +
                         as_given.name + "' has none");
  }
  request.spec = parse_workload_spec(text);
  if (request.spec.params.count("past") > 0) {
    throw InputError("<cli>", "--workload",
                     "past= is set by LLM mode (prefill + decode step); drop it from '" + text + "'");
  }
  const bool seq_in_spec = request.spec.params.erase("seq") > 0;
  if (seq_in_spec && llm.prefill_tokens > 0) {
    throw InputError("<cli>", "--prefill",
                     "conflicts with seq= in --workload '" + text + "'; give one of them");
  }
  request.prefill = llm.prefill_tokens > 0 ? llm.prefill_tokens : prompt_length(as_given);
  // The prefill and the last decode step bound the context: building them checks seq + past.
  const Workload prefill = load(options, pass_spec(request.spec, request.prefill, 0), dtype);
  try {
    load(options, pass_spec(request.spec, 1, request.prefill + request.decode - 1), dtype);
  } catch (const InputError& error) {
    // The zoo names its own parameter (past); the user set --prefill and --decode.
    throw InputError("<cli>", "--decode",
                     fmt::format("prefill {} + decode {} tokens do not fit the model: {}", request.prefill,
                                 request.decode, error.message()));
  }

  request.batch = prefill.ops.front().batch;
  request.weight_bytes = workload_parameters(prefill) * dtype_bytes(prefill.ops.front().dtype);
  check_dram_capacity(request, config, config_file);
  request.sampled_steps = sampled_decode_steps(request.decode, llm.decode_samples);
  return request;
}

double rows_total(const RunReport& report, const WorkloadSummary& workload, const char* name) {
  return totals_over(operating_config(report), report.layers, workload.first_layer, workload.end_layer, 0)[name]
      .get<double>();
}

// The NPU's samples from each workload's rows; the GPU's from each workload's estimate, when all have one.
LlmSideSamples npu_samples(const RunReport& report) {
  LlmSideSamples samples{rows_total(report, report.workloads.front(), "time_s"),
                         rows_total(report, report.workloads.front(), "energy_j"),
                         {},
                         {}};
  for (size_t k = 1; k < report.workloads.size(); ++k) {
    samples.step_s.push_back(rows_total(report, report.workloads[k], "time_s"));
    samples.step_energy_j.push_back(rows_total(report, report.workloads[k], "energy_j"));
  }
  return samples;
}

std::optional<LlmSideSamples> gpu_samples(const RunReport& report) {
  LlmSideSamples samples;
  for (size_t k = 0; k < report.workloads.size(); ++k) {
    const std::optional<GpuRunEstimate>& gpu = report.workloads[k].gpu;
    if (!gpu) return std::nullopt;
    if (k == 0) {
      samples.prefill_s = gpu->time_s;
      samples.prefill_energy_j = gpu->energy_j;
    } else {
      samples.step_s.push_back(gpu->time_s);
      samples.step_energy_j.push_back(gpu->energy_j);
    }
  }
  return samples;
}

void rename(RunReport& report, WorkloadSummary& workload, const std::string& name) {
  workload.name = name;
  for (size_t row = workload.first_layer; row < workload.end_layer; ++row)
    report.layers.set(row, "workload", name);
}

std::string summary_lines(const nlohmann::ordered_json& totals) {
  const auto& llm = totals["llm"];
  std::string out = fmt::format(
      "\nLLM: prefill {} tokens, {} decode steps, batch {}: TTFT {:.6f} s, TPOT {:.6f} s, {:.2f} tokens/s, "
      "{:.4g} mJ/token, end to end {:.6f} s\n",
      llm["prefill_tokens"].get<uint64_t>(), llm["decode_steps"].get<uint64_t>(),
      llm["batch"].get<uint32_t>(), totals["ttft_s"].get<double>(), totals["tpot_s"].get<double>(),
      totals["tokens_per_s"].get<double>(), 1e3 * totals["energy_per_token_j"].get<double>(),
      llm["e2e_s"].get<double>());
  const auto& sampled = llm["simulated_decode_steps"];
  std::string steps;
  for (size_t k = 0; k < sampled.size(); ++k) {
    if (sampled.size() > 10 && k == 3) {  // a long list: the first three, "...", the last two
      steps += ", ...";
      k = sampled.size() - 3;
      continue;
    }
    steps += (steps.empty() ? "" : ", ") + sampled[k].dump();
  }
  out += fmt::format("  decode steps simulated: {} ({}); {}\n", sampled.size(), steps,
                     llm["decode_method"].get<std::string>());
  if (llm.contains("gpu")) {
    const nlohmann::ordered_json npu = {{"ttft_s", totals["ttft_s"]},
                                        {"tpot_s", totals["tpot_s"]},
                                        {"tokens_per_s", totals["tokens_per_s"]},
                                        {"energy_per_token_j", totals["energy_per_token_j"]}};
    out += llm_comparison_lines(llm["gpu"]["gpu"].get<std::string>(), npu, llm["gpu"]);
  }
  return out;
}

// totals.llm: the request, the NPU side's decode figures and definitions, and what the rows cover.
nlohmann::ordered_json llm_totals(const LlmRequest& request, const LlmSideSamples& npu,
                                  const nlohmann::ordered_json& npu_llm, const NpuConfig& config) {
  const double ttft_s = npu.prefill_s;
  const double decode_s = npu_llm["decode_s"].get<double>();
  const bool every_step = request.sampled_steps.size() == request.decode;
  return {
      {"model", request.spec.name},
      {"prefill_tokens", request.prefill},
      {"decode_steps", request.decode},
      {"batch", request.batch},
      {"ttft_s", ttft_s},
      {"decode_s", decode_s},
      {"e2e_s", ttft_s + decode_s},
      {"tokens_per_s_definition",
       "batch * decode_steps / decode_s (decode throughput; the prefill's token "
       "counts towards ttft_s)"},
      {"prefill_energy_j", npu_llm["prefill_energy_j"]},
      {"decode_energy_j", npu_llm["decode_energy_j"]},
      {"energy_per_token_j_definition",
       "decode_energy_j / (batch * decode_steps): the energy of each generated token; the prompt's is "
       "prefill_energy_j"},
      {"simulated_decode_steps", request.sampled_steps},
      {"simulated_decode_step_s", npu.step_s},
      {"decode_method", every_step ? "every decode step simulated"
                                   : "decode steps between simulated ones interpolated linearly in cache "
                                     "length"},
      {"rows",
       "the layer rows and the cycles/time_s totals cover the prefill and the simulated decode "
       "steps only"},
      {"kv_cache_bytes_per_token", request.kv_bytes_per_token},
      {"kv_cache_bytes", request.kv_bytes_per_token * (request.prefill + request.decode)},
      {"weight_bytes", request.weight_bytes},
      {"dram_capacity_bytes", config.dram.capacity_bytes},
  };
}

}  // namespace

std::vector<uint64_t> sampled_decode_steps(uint64_t steps, uint32_t samples) {
  std::vector<uint64_t> sampled;
  if (steps == 0) return sampled;
  if (samples == 0 || samples >= steps) {
    for (uint64_t step = 0; step < steps; ++step) sampled.push_back(step);
    return sampled;
  }
  // One sample cannot include both ends; the first and last steps are the least a line through the
  // decode can be drawn from (README: "first and last included").
  if (samples == 1) samples = 2;
  for (uint32_t k = 0; k < samples; ++k) {
    // Rounded to the nearest step: k * (steps - 1) / (samples - 1).
    const uint64_t step = (2 * k * (steps - 1) + (samples - 1)) / (2 * uint64_t{samples - 1});
    if (sampled.empty() || sampled.back() != step) sampled.push_back(step);
  }
  return sampled;
}

std::vector<double> interpolate_step_times(uint64_t steps, const std::vector<uint64_t>& sampled_steps,
                                           const std::vector<double>& sampled_times_s) {
  std::vector<double> times(steps, sampled_times_s.empty() ? 0.0 : sampled_times_s.back());
  for (size_t k = 0; k < sampled_steps.size(); ++k) {
    const uint64_t from = sampled_steps[k];
    if (k + 1 == sampled_steps.size()) {
      for (uint64_t step = from; step < steps; ++step) times[step] = sampled_times_s[k];
      break;
    }
    const uint64_t to = sampled_steps[k + 1];
    for (uint64_t step = from; step < to; ++step) {
      const double t = static_cast<double>(step - from) / static_cast<double>(to - from);
      times[step] = sampled_times_s[k] + t * (sampled_times_s[k + 1] - sampled_times_s[k]);
    }
  }
  return times;
}

RunReport execute_llm_run(const RunOptions& options, const LlmOptions& llm) {
  std::string config_file;
  const NpuConfig config = resolve_npu_config(options.npu, options.overrides, &config_file);
  const LlmRequest request = validate(options, llm, config, config_file);

  // One simulation: the prefill, then each sampled decode step (step i attends over prefill + i cached
  // tokens and appends one), each a workload of its own whose rows the report keeps apart.
  RunOptions run = options;
  run.workloads = {pass_spec(request.spec, request.prefill, 0)};
  for (uint64_t step : request.sampled_steps)
    run.workloads.push_back(pass_spec(request.spec, 1, request.prefill + step));
  RunReport report = execute_run(run);

  const std::string model = request.spec.name;
  rename(report, report.workloads.front(), model + " prefill");
  for (size_t k = 0; k < request.sampled_steps.size(); ++k) {
    rename(report, report.workloads[k + 1],
           fmt::format("{} decode step {} (cache {})", model, request.sampled_steps[k],
                       request.prefill + request.sampled_steps[k]));
  }
  report.llm_mode = true;
  const LlmSideSamples npu = npu_samples(report);
  const nlohmann::ordered_json npu_llm =
      llm_side_totals(npu, request.batch, request.decode, request.sampled_steps);
  nlohmann::ordered_json& totals = report.totals;
  totals["ttft_s"] = npu.prefill_s;
  totals["tpot_s"] = npu_llm["tpot_s"];
  totals["tokens_per_s"] = npu_llm["tokens_per_s"];
  totals["energy_per_token_j"] = npu_llm["energy_per_token_j"];
  totals["llm"] = llm_totals(request, npu, npu_llm, config);
  if (const std::optional<LlmSideSamples> gpu = gpu_samples(report)) {
    nlohmann::ordered_json gpu_llm = llm_side_totals(*gpu, request.batch, request.decode, request.sampled_steps);
    totals["llm"]["comparison"] = llm_comparison_json(npu_llm, gpu_llm);
    gpu_llm["gpu"] = report.workloads.front().gpu->gpu;
    totals["llm"]["gpu"] = gpu_llm;
  }
  return report;
}

int llm_run_command(const RunOptions& options, const LlmOptions& llm) {
  const RunReport report = execute_llm_run(options, llm);
  if (!options.quiet) std::cout << report_to_table(report, options.layers) << summary_lines(report.totals) << std::flush;
  if (!options.out_dir.empty()) write_result_files(report, options.out_dir);
  return 0;
}

}  // namespace npusim
