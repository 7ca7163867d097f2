// `npusim serve` end to end: agreement with LLM mode at a low rate, outputs, and bad input.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/sim/cli_harness.h"

using namespace npusim_test;

namespace {

// A 2-layer Llama-3.1-8B on the RNGD preset: small enough to simulate quickly, the real shapes.
const std::string kModel = "llama3.1-8b:layers=2";

}  // namespace

TEST_CASE("serve at a rate so low that requests never overlap: TTFT and TPOT equal LLM mode's within 2%") {
  // LLM mode: a 128-token prefill, then 8 decode steps over caches of 128..135 tokens, all simulated.
  const auto llm = run_result_json("run --npu furiosa-rngd --gpu none -q --workload " + kModel +
                                       " --prefill 128 --decode 8 --decode-samples 0",
                                   fresh_dir("serve_llm"));
  // Serving: 3 requests 100 s apart (each finishes in well under a second), 128 in, 9 out: the
  // prefill gives token 1, then 8 decode steps over the same 128..135 cached tokens.
  const std::string out = fresh_dir("serve_low_rate");
  const auto serve =
      run_result_json("serve --npu furiosa-rngd --gpu none --model " + kModel +
                          " --rate 0.01 --requests 3 --input-tokens fixed:128 --output-tokens fixed:9",
                      out);
  const double ttft = llm["totals"]["ttft_s"].get<double>();
  const double tpot = llm["totals"]["tpot_s"].get<double>();
  CHECK(serve["serving"]["ttft_s"]["mean"].get<double>() == doctest::Approx(ttft).epsilon(0.02));
  CHECK(serve["serving"]["tpot_s"]["mean"].get<double>() == doctest::Approx(tpot).epsilon(0.02));
  CHECK(serve["serving"]["requests"] == 3);
  CHECK(serve["serving"]["preemptions"] == 0);
  // The step-cost table's measured interpolation error is reported (here a 2-layer model, whose
  // embeddings and head weigh more than in the full model).
  CHECK(serve["serving"]["step_cost"]["validation"]["max_time_error"].get<double>() <= 0.05);
  // The grids span what this traffic can make: 3 sequences of 128 + 9 = 137 tokens, 411 tokens at most.
  const auto& grid = serve["serving"]["step_cost"]["grid"];
  CHECK(grid["max_tokens"] == 3 * 137);
  CHECK(grid["max_sequences"] == 3);
  CHECK(grid["max_context_tokens"] == 137);
  CHECK_FALSE(serve.contains("gpu_serving"));
  // requests.csv: a header and one row per request.
  CHECK(line_count(read_file(out + "/requests.csv")) == 1 + 3);
}

TEST_CASE("serve reports the NPU and the GPU side by side with the interface's fields") {
  const std::string trace = write_file(fresh_dir("serve_trace_in"), "t.jsonl",
                                       "{\"arrival_s\": 0, \"input_tokens\": 40, \"output_tokens\": 5}\n"
                                       "{\"arrival_s\": 0.001, \"input_tokens\": 70, \"output_tokens\": 3, \"id\": \"b\"}\n");
  const auto result = run_result_json("serve --npu furiosa-rngd --model " + kModel + " --traffic " + trace +
                                          " --slo ttft_p90_s=1,tpot_p99_s=0.5",
                                      fresh_dir("serve_side_by_side"));
  for (const char* device : {"serving", "gpu_serving"}) {
    const auto& m = result[device];
    for (const char* key : {"requests", "duration_s", "output_tokens_per_s", "requests_per_s", "goodput_requests_per_s",
                            "slo_attainment", "preemptions", "kv_cache_peak_fraction", "energy_j", "average_power_w",
                            "output_tokens_per_j"}) {
      CAPTURE(key);
      CHECK(m.contains(key));
    }
    for (const char* key : {"ttft_s", "tpot_s", "e2e_s"})
      for (const char* stat : {"mean", "p50", "p90", "p99"}) CHECK(m[key].contains(stat));
    CHECK(m["requests"] == 2);
    CHECK(m["slo_attainment"] == 1.0);
  }
}

TEST_CASE("serve: bad input is one line naming the file, line or flag, exit 2, nothing written") {
  const std::string dir = fresh_dir("serve_bad_in");
  const std::string base = "serve --npu furiosa-rngd --gpu none --model " + kModel;
  const std::string ok_line = "{\"arrival_s\": 1, \"input_tokens\": 5, \"output_tokens\": 2}\n";
  const std::string unsorted = write_file(dir, "unsorted.jsonl", ok_line + "{\"arrival_s\": 0.5, \"input_tokens\": 5, \"output_tokens\": 2}\n");
  check_rejected(base + " --traffic " + unsorted, "unsorted.jsonl: line 2: arrival_s 0.5 is before");
  const std::string negative = write_file(dir, "negative.jsonl", "{\"arrival_s\": -1, \"input_tokens\": 5, \"output_tokens\": 2}\n");
  check_rejected(base + " --traffic " + negative, "negative.jsonl: line 1: arrival_s");
  const std::string zero = write_file(dir, "zero.jsonl", "{\"arrival_s\": 0, \"input_tokens\": 5, \"output_tokens\": 0}\n");
  check_rejected(base + " --traffic " + zero, "zero.jsonl: line 1: output_tokens");
  const std::string huge = write_file(dir, "huge.jsonl", "{\"arrival_s\": 0, \"input_tokens\": 99999999999, \"output_tokens\": 2}\n");
  check_rejected(base + " --traffic " + huge, "huge.jsonl: line 1: input_tokens: expected an integer from 1 to 16777216");
  check_rejected(base + " --block-tokens 0", "--block-tokens: expected an integer from 1");
  check_rejected(base + " --slo ttft_p95_s=1", "--slo: unknown key 'ttft_p95_s'");
  check_rejected(base + " --input-tokens lognormal:mean=100,sigma=-2", "--input-tokens");
  check_rejected(base + " --output-tokens uniform:10:2", "--output-tokens");
  check_rejected(base + " --scheduler fifo", "--scheduler: 'fifo' is not one of");
  check_rejected(base + " --preemption lru", "--preemption: 'lru' is not one of: recompute, swap");
  check_rejected(base + " --host-link-gbytes-per-s 0", "--host-link-gbytes-per-s: expected a bandwidth > 0");
  check_rejected(base + " --find-max-rate", "--find-max-rate: needs --slo");
  // Llama-3.1-8B in int8 holds 8 GB of weights: a 4 GiB device cannot hold it.
  check_rejected("serve --npu furiosa-rngd --gpu none --model llama3.1-8b --set npu.dram.capacity_bytes=4294967296",
                 "npu.dram.capacity_bytes");
  // GPT-2's context is 1024 tokens: line 2 asks for 1000 + 100.
  const std::string longer = write_file(dir, "long.jsonl", "{\"arrival_s\": 0, \"input_tokens\": 10, \"output_tokens\": 2}\n"
                                                           "{\"arrival_s\": 1, \"input_tokens\": 1000, \"output_tokens\": 100}\n");
  check_rejected("serve --npu furiosa-rngd --gpu none --model gpt2:layers=1 --traffic " + longer,
                 "long.jsonl: line 2: 1000 input + 100 output tokens exceed the model's context of 1024");
  const auto dropped = run_result_json(
      "serve --npu furiosa-rngd --gpu none --model gpt2:layers=1 --drop-oversized --traffic " + longer,
      fresh_dir("serve_dropped"));
  CHECK(dropped["traffic"]["dropped_oversized"] == 1);
  CHECK(dropped["serving"]["requests"] == 1);
}

TEST_CASE("serve at saturation with ample compute: decode throughput within 10% of the DRAM-bandwidth bound") {
  // RNGD with an 8x clock (compute ample, DRAM bandwidth unchanged) and 13 GB of DRAM, so the KV cache
  // (13 GB - 8.03 GB of int8 weights - workspace) holds only about 130 sequences of 768 tokens: every
  // decode step streams the weights and the batch's KV cache once.
  const std::string out = fresh_dir("serve_saturation");
  const std::string timeline = out + "/timeline.json";
  const auto result = run_result_json(
      "serve --npu furiosa-rngd --gpu none --model llama3.1-8b --rate 100000 --requests 160 "
      "--input-tokens fixed:512 --output-tokens fixed:256 --max-num-seqs 1024 "
      "--validation-steps 4 --set npu.dram.capacity_bytes=13000000000 --set npu.clock_mhz=8000 "
      "--timeline " +
          timeline,
      out);
  const auto config = nlohmann::json::parse(run_npusim("validate furiosa-rngd --print").output);
  const auto& npu = config.contains("npu") ? config["npu"] : config;
  const double bandwidth = npu["dram"]["bandwidth_gbytes_per_s"].get<double>() * 1e9;
  const auto& kv = result["serving"]["kv_cache"];
  // The pure-decode iteration with the largest batch B over P cached tokens in all:
  // bound = B / ((weights + P * KV bytes per token) / bandwidth) tokens per second.
  nlohmann::json best;
  const auto trace = nlohmann::json::parse(read_file(timeline));
  for (const auto& e : trace["traceEvents"]) {
    if (e["ph"] != "X" || e["args"]["prefill_seqs"] != 0) continue;
    if (best.is_null() || e["args"]["decode_seqs"].get<uint64_t>() > best["args"]["decode_seqs"].get<uint64_t>()) best = e;
  }
  REQUIRE_FALSE(best.is_null());
  const double batch = best["args"]["decode_seqs"].get<double>();
  const double bytes = kv["weight_bytes"].get<double>() + best["args"]["past_tokens"].get<double>() * kv["kv_bytes_per_token"].get<double>();
  const double bound_tokens_per_s = batch / (bytes / bandwidth);
  const double tokens_per_s = batch / (best["dur"].get<double>() * 1e-6);
  CHECK(batch > 100);
  CHECK(tokens_per_s <= bound_tokens_per_s);
  CHECK(tokens_per_s >= 0.9 * bound_tokens_per_s);
}

TEST_CASE("serve --preemption swap: every block swapped out comes back, each way at the host link's bandwidth") {
  // The KV cache sized for 40 blocks of 16 tokens (device = weights + workspace + 40 blocks): 8 sequences
  // of up to 160 + 120 tokens cannot all fit, so decodes run out of blocks and swap.
  const std::string args = " --npu furiosa-rngd --gpu none --model " + kModel +
                           " --rate 1000 --requests 16 --input-tokens fixed:160 --output-tokens fixed:120"
                           " --max-num-seqs 8 --max-batched-tokens 1024 --validation-steps 2";
  const auto probe = run_result_json("serve" + args, fresh_dir("serve_swap_probe"));
  const auto& kv = probe["serving"]["kv_cache"];
  const uint64_t block_bytes = kv["kv_bytes_per_token"].get<uint64_t>() * 16;
  const uint64_t device = kv["weight_bytes"].get<uint64_t>() + kv["activation_workspace_bytes"].get<uint64_t>() + 40 * block_bytes;
  const auto result = run_result_json(
      "serve" + args + " --preemption swap --host-link-gbytes-per-s 10 --set npu.dram.capacity_bytes=" +
          std::to_string(device),
      fresh_dir("serve_swap"));
  const auto& m = result["serving"];
  CHECK(m["kv_cache"]["blocks"] == 40);
  CHECK(m["preemptions"].get<uint64_t>() > 0);
  CHECK(m["swap_out_blocks"].get<uint64_t>() > 0);
  CHECK(m["swap_in_blocks"] == m["swap_out_blocks"]);
  // swap time = (blocks out + blocks in) x block bytes / 10 GB/s.
  const double blocks = m["swap_out_blocks"].get<double>() + m["swap_in_blocks"].get<double>();
  CHECK(m["swap_time_s"].get<double>() == doctest::Approx(blocks * static_cast<double>(block_bytes) / 10e9).epsilon(1e-9));
  CHECK(result["scheduler"]["preemption"] == "swap");
  CHECK(m["requests"] == 16);
}
