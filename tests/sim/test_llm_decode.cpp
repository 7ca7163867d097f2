// LLM decode is a weight stream: on a config whose compute is ample, Llama-2-7B's batch-1 time per
// output token is the bytes it must read over the DRAM bandwidth.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/sim/cli_harness.h"

using namespace npusim_test;

TEST_CASE("llm: llama2-7b batch-1 decode runs at (weights + KV cache) / DRAM bandwidth within 10%") {
  // datacenter-bf16 (128x128 bf16 array at 1.05 GHz) with its DRAM cut to 100 GB/s. A batch-1 decode
  // GEMV keeps one array row busy per weight fold: 128 weights per cycle = 128 * 2 B * 1.05 GHz =
  // 269 GB/s of weights, 2.7x what the DRAM delivers, so the step is bound by the DRAM.
  const std::string out = fresh_dir("llm_decode");
  const CommandResult result = run_npusim(
      "run --npu datacenter-bf16 --set npu.dram.bandwidth_gbytes_per_s=100 --workload llama2-7b --prefill "
      "512 "
      "--decode 2 --quiet --out " +
      out);
  CAPTURE(result.output);
  REQUIRE(result.exit_code == 0);
  const auto json = nlohmann::json::parse(read_file(out + "/result.json"));
  // Bytes one decode step must read (bf16): the GEMV weights 32 * (4 * 4096^2 + 3 * 4096 * 11008) +
  // 4096 * 32000 (lm_head) = 6,607,077,376, 65 RMSNorm gammas of 4096 and one embedding row of 4096,
  // times 2 bytes = 13,214,691,328; plus the KV cache of the first step: 512 tokens x 2 (K, V) x 32
  // layers x 4096 x 2 bytes = 268,435,456. Over 100 GB/s: 0.13483 s.
  const double weight_bytes = 2.0 * (6607077376.0 + 65 * 4096 + 4096);
  const double kv_bytes = 512.0 * 2 * 32 * 4096 * 2;
  const double expected_s = (weight_bytes + kv_bytes) / 100e9;
  const double tpot_s = json["totals"]["tpot_s"].get<double>();
  CAPTURE(tpot_s);
  CAPTURE(expected_s);
  CHECK(tpot_s >= expected_s);  // it cannot beat the DRAM
  CHECK(tpot_s <= 1.10 * expected_s);
  CHECK(json["totals"]["tokens_per_s"].get<double>() == doctest::Approx(1.0 / tpot_s));
}

TEST_CASE("llm: unfused attention moves the scores through DRAM, fused keeps them on chip") {
  // One BERT-base layer at seq 384 on the edge preset (int8). The attention layer's DRAM writes: fused,
  // only its output 384 x 768 = 294,912 bytes; unfused, also the scores and the probabilities,
  // 12 heads x 384 x 384 = 1,769,472 bytes each.
  const auto attention_row = [](const std::string& variant) {
    const std::string out = fresh_dir("llm_attention_" + variant);
    const CommandResult result =
        run_npusim("run --npu edge-int8 --workload bert-base:seq=384,layers=1,attention=" + variant +
                   " --quiet --out " + out);
    REQUIRE(result.exit_code == 0);
    const auto json = nlohmann::json::parse(read_file(out + "/result.json"));
    for (const auto& row : json["layers"]) {
      if (row["op"] == "attention") return row;
    }
    FAIL("no attention row");
    return nlohmann::json();
  };
  const auto fused = attention_row("fused");
  const auto unfused = attention_row("unfused");
  CHECK(fused["dram_write_bytes"] == 294912);
  CHECK(unfused["dram_write_bytes"] == 294912 + 2 * 1769472);
  CHECK(unfused["dram_read_bytes"].get<uint64_t>() >= fused["dram_read_bytes"].get<uint64_t>() + 2 * 1769472);
  CHECK(unfused["cycles"].get<uint64_t>() > fused["cycles"].get<uint64_t>());
}
