// One side (NPU or GPU) of an LLM run in LLM terms: time to first token, time per output token,
// tokens per second and joules per token, from the prefill and the sampled decode steps; and the
// NPU-vs-GPU comparison of those.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace npusim {

struct LlmSideSamples {
  double prefill_s = 0.0;
  double prefill_energy_j = 0.0;
  std::vector<double> step_s;         // per sampled decode step
  std::vector<double> step_energy_j;  // per sampled decode step
};

// ttft_s (the prefill), decode_s (every step, those between samples interpolated linearly in cache
// length), tpot_s = decode_s / decode, tokens_per_s = batch * decode / decode_s, e2e_s, prefill and
// decode energy, and energy_per_token_j = decode_energy_j / (batch * decode): the energy of each
// generated token (the prompt's energy is prefill_energy_j).
nlohmann::ordered_json llm_side_totals(const LlmSideSamples& samples, uint64_t batch, uint64_t decode,
                                       const std::vector<uint64_t>& sampled_steps);

// Ratios NPU over GPU: speed-ups of TTFT and TPOT (GPU time / NPU time), tokens/s, and energy per
// token (GPU / NPU).
nlohmann::ordered_json llm_comparison_json(const nlohmann::ordered_json& npu, const nlohmann::ordered_json& gpu);

// The terminal lines: NPU and GPU side by side in LLM terms.
std::string llm_comparison_lines(const std::string& gpu_name, const nlohmann::ordered_json& npu,
                                 const nlohmann::ordered_json& gpu);

}  // namespace npusim
