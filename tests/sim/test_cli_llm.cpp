// LLM mode and transformer workloads end to end: `npusim run --prefill N --decode M` results, and bad
// input (one line naming the field path, exit code 2, nothing written).
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/sim/cli_harness.h"

using namespace npusim_test;

TEST_CASE("cli llm: head counts must divide the model width") {
  check_rejected("run --npu datacenter-bf16 --workload bert-base:heads=7",
                 "bert-base.heads: expected a divisor of the model width 768, got 7");
  check_rejected("run --npu datacenter-bf16 --workload llama3.1-8b:kv_heads=5 --decode 2",
                 "llama3.1-8b.kv_heads: expected a divisor of heads (32)");
}

TEST_CASE("cli llm: a sequence of zero tokens is rejected") {
  check_rejected("run --npu datacenter-bf16 --workload gpt2:seq=0", "gpt2.seq: expected a positive integer");
  check_rejected("run --npu datacenter-bf16 --workload gpt2 --prefill 0 --decode 4", "--prefill");
  check_rejected("run --npu datacenter-bf16 --workload gpt2 --decode 0", "--decode");
  check_rejected("run --npu datacenter-bf16 --workload gpt2 --prefill 16", "--prefill: needs --decode");
}

TEST_CASE("cli llm: decode needs a decoder workload with a KV cache") {
  check_rejected("run --npu datacenter-bf16 --workload bert-base --decode 4",
                 "--decode: needs a decoder LLM workload with a KV cache");
  check_rejected("run --npu edge-int8 --workload resnet50 --decode 4",
                 "--decode: needs a decoder LLM workload");
  check_rejected("run --npu datacenter-bf16 --decode 4", "--workload");  // defaults: a CNN and BERT
  check_rejected("run --npu datacenter-bf16 --workload gpt2 --workload gpt2 --decode 4", "--workload");
  check_rejected("run --npu datacenter-bf16 --workload gpt2:past=3 --decode 4", "--workload: past=");
  check_rejected("run --npu datacenter-bf16 --workload gpt2:seq=8 --prefill 16 --decode 4",
                 "--prefill: conflicts");
  // The last step attends over 1000 + 99 tokens: past GPT-2's 1024 positions.
  check_rejected("run --npu datacenter-bf16 --workload gpt2 --prefill 1000 --decode 100",
                 "--decode: prefill 1000 + decode 100 tokens do not fit the model: expected seq + past <= 1024");
}

TEST_CASE("cli llm: a KV cache larger than the DRAM is rejected") {
  // GPT-2 in bf16: 124,439,808 parameters = 248,879,616 bytes of weights. KV cache per token: 2 (K, V)
  // x 12 layers x 768 x 2 bytes = 36,864; 512 + 512 tokens -> 37,748,736 bytes. A 260,000,000-byte
  // DRAM holds the weights but leaves only 11,120,384 bytes.
  check_rejected(
      "run --npu datacenter-bf16 --set npu.dram.capacity_bytes=260000000 --workload gpt2 "
      "--prefill 512 --decode 512",
      "npu.dram.capacity_bytes: KV cache of 37748736 bytes exceeds npu.dram.capacity_bytes");
  check_rejected(
      "run --npu datacenter-bf16 --set npu.dram.capacity_bytes=100000000 --workload gpt2 "
      "--prefill 512 --decode 512",
      "model weights of 248879616 bytes exceed npu.dram.capacity_bytes");
}

TEST_CASE("cli llm: prefill and sampled decode steps report TTFT, TPOT and tokens/s") {
  const std::string out = fresh_dir("llm_run");
  // Two GPT-2 layers, 32 prompt tokens, 8 decode steps of which 3 are simulated: steps
  // round(k * 7 / 2) for k = 0, 1, 2 = 0, 4 (3.5 rounds up), 7.
  const CommandResult result = run_npusim(
      "run --npu edge-int8 --workload gpt2:layers=2,batch=2 --prefill 32 --decode 8 --decode-samples 3 "
      "--out " +
      out);
  CAPTURE(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK(result.output.find("TTFT") != std::string::npos);
  CHECK(result.output.find("interpolated linearly") != std::string::npos);
  const auto json = nlohmann::json::parse(read_file(out + "/result.json"));
  const auto& totals = json["totals"];
  const auto& llm = totals["llm"];
  CHECK(llm["simulated_decode_steps"] == std::vector<int>{0, 4, 7});
  REQUIRE(json["workloads"].size() == 4);  // the prefill and three decode steps
  CHECK(json["workloads"][0]["name"] == "gpt2 prefill");
  CHECK(json["workloads"][2]["name"] == "gpt2 decode step 4 (cache 36)");
  CHECK(json["workloads"][2]["source"] == "zoo:gpt2:batch=2,layers=2,past=36,seq=1");

  // TTFT is the prefill's time; each simulated step's time is its rows' time.
  CHECK(totals["ttft_s"].get<double>() ==
        doctest::Approx(json["workloads"][0]["totals"]["time_s"].get<double>()));
  std::vector<double> t;
  for (size_t k = 1; k < 4; ++k) t.push_back(json["workloads"][k]["totals"]["time_s"].get<double>());
  // The cache grows, so a later step takes at least as long.
  CHECK(t[0] <= t[1]);
  CHECK(t[1] <= t[2]);
  // Steps 0..3 interpolate t0 -> t4 (i/4 of the way), 4..6 t4 -> t7 (i/3), 7 is t7:
  // sum = (t0 + (3t0+t4)/4 + (t0+t4)/2 + (t0+3t4)/4) + (t4 + (2t4+t7)/3 + (t4+2t7)/3) + t7
  //     = 2.5 t0 + 1.5 t4 + 2 t4 + t7 + t7 = 2.5 t0 + 3.5 t4 + 2 t7.
  const double decode_s = 2.5 * t[0] + 3.5 * t[1] + 2.0 * t[2];
  CHECK(llm["decode_s"].get<double>() == doctest::Approx(decode_s));
  CHECK(totals["tpot_s"].get<double>() == doctest::Approx(decode_s / 8));
  // Two sequences each produce a token per step.
  CHECK(totals["tokens_per_s"].get<double>() == doctest::Approx(2 * 8 / decode_s));
  CHECK(llm["e2e_s"].get<double>() == doctest::Approx(totals["ttft_s"].get<double>() + decode_s));
  // KV cache: 2 sequences x 40 tokens x 2 layers x 2 (K, V) x 768 x 1 byte (int8).
  CHECK(llm["kv_cache_bytes"] == 2 * 40 * 2 * 2 * 768);
}

TEST_CASE("cli llm: the GPU side reports TTFT, TPOT, tokens/s and J/token from the same steps") {
  const std::string out = fresh_dir("llm_gpu");
  const CommandResult result = run_npusim(
      "run --npu edge-int8 --workload gpt2:layers=2,batch=2 --prefill 32 --decode 8 --decode-samples 3 "
      "--gpu a100-sxm4-80gb --out " + out);
  CAPTURE(result.output);
  REQUIRE(result.exit_code == 0);
  // In LLM terms only: no per-step "inferences/s" line for either side.
  CHECK(result.output.find("inferences/s") == std::string::npos);
  CHECK(result.output.find("vs GPU a100-sxm4-80gb") != std::string::npos);
  CHECK(result.output.find("energy per token") != std::string::npos);
  const auto json = nlohmann::json::parse(read_file(out + "/result.json"));
  const auto& totals = json["totals"];
  const auto& gpu = totals["llm"]["gpu"];
  const auto step_gpu = [&](size_t k, const char* key) {
    return json["workloads"][k]["comparison"]["gpu"][key].get<double>();
  };
  // Same arithmetic as the NPU side (steps 0, 4, 7 simulated, the rest interpolated):
  // decode = 2.5 g0 + 3.5 g4 + 2 g7, for time and for energy alike.
  const double decode_s = 2.5 * step_gpu(1, "time_s") + 3.5 * step_gpu(2, "time_s") + 2.0 * step_gpu(3, "time_s");
  const double decode_j =
      2.5 * step_gpu(1, "energy_j") + 3.5 * step_gpu(2, "energy_j") + 2.0 * step_gpu(3, "energy_j");
  CHECK(gpu["ttft_s"].get<double>() == doctest::Approx(step_gpu(0, "time_s")));
  CHECK(gpu["tpot_s"].get<double>() == doctest::Approx(decode_s / 8));
  CHECK(gpu["tokens_per_s"].get<double>() == doctest::Approx(2 * 8 / decode_s));
  // Two sequences x 8 steps = 16 generated tokens share the decode energy.
  CHECK(gpu["energy_per_token_j"].get<double>() == doctest::Approx(decode_j / 16));
  // The NPU side by the same definition, from its rows' energy.
  double npu_decode_j = 0;
  const double weights[] = {2.5, 3.5, 2.0};
  for (size_t k = 1; k < 4; ++k) npu_decode_j += weights[k - 1] * json["workloads"][k]["totals"]["energy_j"].get<double>();
  CHECK(totals["energy_per_token_j"].get<double>() == doctest::Approx(npu_decode_j / 16));
  CHECK(totals["llm"]["comparison"]["tpot_speedup_npu_over_gpu"].get<double>() ==
        doctest::Approx(gpu["tpot_s"].get<double>() / totals["tpot_s"].get<double>()));
}

TEST_CASE("cli run: an uncalibrated GPU preset does not print the A100's calibration error as its own") {
  const std::string out = fresh_dir("gpu_uncalibrated");
  const CommandResult l4 = run_npusim("run --npu edge-int8 --workload gemm:m=64,n=64,k=64 --gpu l4 --out " + out);
  CAPTURE(l4.output);
  REQUIRE(l4.exit_code == 0);
  CHECK(l4.output.find("GPU model error on its calibration data") == std::string::npos);
  CHECK(l4.output.find("GPU model for l4: not calibrated") != std::string::npos);
  const auto json = nlohmann::json::parse(read_file(out + "/result.json"));
  CHECK(json["gpu"]["calibration"]["applies_to_this_gpu"] == false);
  CHECK(json["gpu"]["calibration"]["calibrated_gpu"] == "a100-sxm4-80gb");
  const CommandResult a100 = run_npusim("run --npu edge-int8 --workload gemm:m=64,n=64,k=64 --gpu a100-sxm4-80gb");
  CHECK(a100.output.find("GPU model error on its calibration data") != std::string::npos);
}
