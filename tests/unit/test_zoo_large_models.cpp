// Large and mixture-of-experts zoo models (issue 11 item 7, issue 13 item 4): parameter counts derived
// from each model's config.json and held against the published figures; active parameters of the MoE
// models; shape keys that state a model exactly; parameters that contradict each other.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "arch/spec/input_error.h"
#include "tests/unit/zoo_fixtures.h"
#include "workloads/zoo/model_zoo.h"

namespace {

using namespace npusim_test;
using npusim::DType;
using npusim::InputError;
using npusim::Workload;

// A Llama-style layer without biases: q and o d x (heads * head_dim), k and v d x (kv_heads * head_dim),
// two RMSNorm gammas 2d, plus its MLP's parameters.
constexpr uint64_t attention_params(uint64_t d, uint64_t heads, uint64_t kv_heads, uint64_t head_dim) {
  return 2 * d * heads * head_dim + 2 * d * kv_heads * head_dim + 2 * d;
}
// SwiGLU MLP: gate, up and down, 3 d f.
constexpr uint64_t swiglu_params(uint64_t d, uint64_t f) { return 3 * d * f; }

}  // namespace

TEST_CASE("zoo: llama3.1-70b and llama3.1-405b match the published parameter counts") {
  // 70B: 80 layers of attention_params(8192, 64, 8, 128) = 150,994,944 + 16,384 and
  // swiglu_params(8192, 28672) = 704,643,072; embed and untied head 2 * 128256 * 8192 = 2,101,346,304;
  // final norm 8192. Total 70,553,706,496: "70.6B" (HF meta-llama/Llama-3.1-70B), within 0.1%.
  const uint64_t layer70 = attention_params(8192, 64, 8, 128) + swiglu_params(8192, 28672);
  const uint64_t params70 = 80 * layer70 + 2ull * 128256 * 8192 + 8192;
  CHECK(params70 == 70553706496ull);
  CHECK(npusim::workload_parameters(build_zoo("llama3.1-70b:seq=1")) == params70);
  CHECK(relative_error(static_cast<double>(params70), 70.6e9) < 0.001);
  // The same shape stated through the keys on the 8B entry.
  CHECK(npusim::workload_parameters(
            build_zoo("llama3.1-8b:seq=1,layers=80,hidden=8192,heads=64,kv_heads=8,ffn=28672")) == params70);

  // 405B: 126 layers of attention_params(16384, 128, 8, 128) + swiglu_params(16384, 53248); embed and
  // head 2 * 128256 * 16384; final norm. Total 405,853,388,800: "405B" (Meta's model card; HF lists
  // 406B), within 0.3%.
  const uint64_t layer405 = attention_params(16384, 128, 8, 128) + swiglu_params(16384, 53248);
  const uint64_t params405 = 126 * layer405 + 2ull * 128256 * 16384 + 16384;
  CHECK(params405 == 405853388800ull);
  CHECK(npusim::workload_parameters(build_zoo("llama3.1-405b:seq=1")) == params405);
  CHECK(relative_error(static_cast<double>(params405), 405e9) < 0.003);
  // 405B at FP16 (2 bytes a parameter) is 811.7 GB: more than 8 RNGD cards' 8 x 48 GB = 384 GB.
  CHECK(2 * params405 > 8ull * 48'000'000'000ull);
}

TEST_CASE("zoo: mixtral-8x7b total and active parameters") {
  // 32 layers of attention_params(4096, 32, 8, 128) = 41,951,232, a router 4096 x 8 and 8 experts of
  // swiglu_params(4096, 14336) = 176,160,768; embed and untied head 2 * 32000 * 4096; final norm 4096.
  // Total 46,702,792,704: "46.7B" (Jiang et al. 2024), within 0.1%.
  const uint64_t attention = attention_params(4096, 32, 8, 128);
  const uint64_t expert = swiglu_params(4096, 14336);
  const uint64_t total = 32 * (attention + 4096 * 8 + 8 * expert) + 2ull * 32000 * 4096 + 4096;
  CHECK(total == 46702792704ull);
  const Workload decode = build_zoo("mixtral-8x7b:seq=1,past=100");
  CHECK(npusim::workload_parameters(decode) == total);
  CHECK(relative_error(static_cast<double>(total), 46.7e9) < 0.001);
  // One decode token runs 2 experts a layer: int8 weight bytes = the active parameters less the
  // embedding rows not gathered (31999 x 4096). Active 12,879,925,248: "12.9B", within 0.2%.
  const uint64_t active = total - 32 * 6 * expert;
  CHECK(npusim::workload_weight_bytes(decode) == active - 31999ull * 4096);
  CHECK(relative_error(static_cast<double>(active), 12.9e9) < 0.002);
  // A 512-token prefill routes 1024 token-slots: every expert is active, 128 tokens each.
  const Workload prefill = build_zoo("mixtral-8x7b:seq=512");
  CHECK(npusim::workload_weight_bytes(prefill) == total - 31999ull * 4096 + 512ull * 4096 - 4096);
}

TEST_CASE("zoo: qwen3-30b-a3b, a fine-grained MoE with its own head size") {
  // 48 layers of attention_params(2048, 32, 4, 128) (head_dim 128, not 2048 / 32), a router 2048 x 128
  // and 128 experts of swiglu_params(2048, 768); embed and untied head 2 * 151936 * 2048; final norm.
  // Total 30,532,110,336: "30.5B" (Qwen3 model card), within 0.2%. Active (8 experts): 3.35B vs the
  // published "3.3B", within 2%.
  const uint64_t attention = attention_params(2048, 32, 4, 128);
  const uint64_t expert = swiglu_params(2048, 768);
  const uint64_t total = 48 * (attention + 2048 * 128 + 128 * expert) + 2ull * 151936 * 2048 + 2048;
  CHECK(total == 30532110336ull);
  const Workload decode = build_zoo("qwen3-30b-a3b:seq=1");
  CHECK(npusim::workload_parameters(decode) == total);
  CHECK(relative_error(static_cast<double>(total), 30.5e9) < 0.002);
  const uint64_t active = total - 48 * 120 * expert;
  CHECK(npusim::workload_weight_bytes(decode) == active - 151935ull * 2048);
  CHECK(relative_error(static_cast<double>(active), 3.3e9) < 0.02);
}

TEST_CASE("zoo: a MoE layer's MACs are each token's experts") {
  // Mixtral, 4 tokens: 8 token-slots over 8 experts, one each; per layer and token the experts cost
  // 2 * 3 * 4096 * 14336 MACs, the router 4096 * 8, attention projections 4096 * 6144 (q, k, v) +
  // 4096 * 4096 (o) and causal attention 2 * 4096 * (1 + 2 + 3 + 4) / 4 per token.
  const Workload w = build_zoo("mixtral-8x7b:seq=4");
  const uint64_t per_token = 2ull * 3 * 4096 * 14336 + 4096 * 8 + 4096ull * 6144 + 4096ull * 4096;
  const uint64_t attention = 2ull * 4096 * 10;
  CHECK(npusim::workload_macs(w) == 32 * (4 * per_token + attention) + 4096ull * 32000);
}

TEST_CASE("zoo: contradicting or impossible shape keys are rejected with the key") {
  check_rejected_specs({
      {"mixtral-8x7b:ffn=14336", "mixtral-8x7b.ffn: a mixture"},
      {"llama3.1-8b:expert_ffn=512", "llama3.1-8b.expert_ffn: applies only to a mixture-of-experts"},
      {"mixtral-8x7b:experts_per_token=9", "mixtral-8x7b.experts_per_token: expected at most experts (8)"},
      {"mixtral-8x7b:experts=1", "mixtral-8x7b.experts: expected >= 2"},
      {"llama3.1-8b:experts=8,ffn=1000", "llama3.1-8b.ffn: a mixture"},
      {"llama3.1-8b:experts=8,expert_ffn=1024", "llama3.1-8b.experts_per_token: missing required"},
      {"llama3.1-8b:hidden=4100", "llama3.1-8b.hidden: expected a multiple of heads (32), got 4100"},
      {"qwen3-30b-a3b:head_dim=127", "qwen3-30b-a3b.head_dim"},
      {"llama3.1-70b:vocab=0", "llama3.1-70b.vocab"},
      {"vit-b16:vocab=10", "vit-b16.vocab: unknown parameter"},
      {"gpt2:experts=8", "gpt2.experts: unknown parameter"},
  });
  // A model stated exactly through the keys builds: a MoE from a dense entry.
  CHECK(npusim::workload_parameters(build_zoo("llama3.1-8b:experts=4,experts_per_token=1,expert_ffn=1024")) >
        0);
}
