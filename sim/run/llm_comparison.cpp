#include "sim/run/llm_comparison.h"

#include <fmt/format.h>

#include "sim/run/llm_run.h"

namespace npusim {
namespace {

double sum_interpolated(uint64_t decode, const std::vector<uint64_t>& sampled_steps,
                        const std::vector<double>& sampled) {
  double total = 0.0;
  for (const double value : interpolate_step_times(decode, sampled_steps, sampled)) total += value;
  return total;
}

double ratio(double numerator, double denominator) { return denominator > 0 ? numerator / denominator : 0.0; }

}  // namespace

nlohmann::ordered_json llm_side_totals(const LlmSideSamples& samples, uint64_t batch, uint64_t decode,
                                       const std::vector<uint64_t>& sampled_steps) {
  const double decode_s = sum_interpolated(decode, sampled_steps, samples.step_s);
  const double decode_energy_j = sum_interpolated(decode, sampled_steps, samples.step_energy_j);
  const double tokens = static_cast<double>(batch * decode);
  return {{"ttft_s", samples.prefill_s},
          {"tpot_s", decode_s / static_cast<double>(decode)},
          {"tokens_per_s", ratio(tokens, decode_s)},
          {"decode_s", decode_s},
          {"e2e_s", samples.prefill_s + decode_s},
          {"prefill_energy_j", samples.prefill_energy_j},
          {"decode_energy_j", decode_energy_j},
          {"energy_per_token_j", decode_energy_j / tokens}};
}

nlohmann::ordered_json llm_comparison_json(const nlohmann::ordered_json& npu, const nlohmann::ordered_json& gpu) {
  return {{"ttft_speedup_npu_over_gpu", ratio(gpu["ttft_s"].get<double>(), npu["ttft_s"].get<double>())},
          {"tpot_speedup_npu_over_gpu", ratio(gpu["tpot_s"].get<double>(), npu["tpot_s"].get<double>())},
          {"tokens_per_s_ratio_npu_over_gpu",
           ratio(npu["tokens_per_s"].get<double>(), gpu["tokens_per_s"].get<double>())},
          {"energy_per_token_ratio_gpu_over_npu",
           ratio(gpu["energy_per_token_j"].get<double>(), npu["energy_per_token_j"].get<double>())}};
}

std::string llm_comparison_lines(const std::string& gpu_name, const nlohmann::ordered_json& npu,
                                 const nlohmann::ordered_json& gpu) {
  std::string out = fmt::format("  vs GPU {} (same prefill and decode steps on the GPU model):\n", gpu_name);
  const auto line = [&](const char* what, const char* key, const char* unit, double scale) {
    out += fmt::format("    {:<22} NPU {:>12.4g} {:<8} GPU {:>12.4g} {:<8}\n", what, npu[key].get<double>() * scale,
                       unit, gpu[key].get<double>() * scale, unit);
  };
  line("TTFT", "ttft_s", "ms", 1e3);
  line("TPOT", "tpot_s", "ms", 1e3);
  line("tokens/s", "tokens_per_s", "tok/s", 1.0);
  line("energy per token", "energy_per_token_j", "mJ", 1e3);
  const nlohmann::ordered_json ratios = llm_comparison_json(npu, gpu);
  out += fmt::format("    NPU is {:.2f}x the GPU's TTFT speed, {:.2f}x its tokens/s, and uses 1/{:.2f} of its energy "
                     "per token\n",
                     ratios["ttft_speedup_npu_over_gpu"].get<double>(),
                     ratios["tokens_per_s_ratio_npu_over_gpu"].get<double>(),
                     ratios["energy_per_token_ratio_gpu_over_npu"].get<double>());
  return out;
}

}  // namespace npusim
