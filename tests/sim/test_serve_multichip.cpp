// `npusim serve` on a multi-chip system (issue 13): a one-chip plan is plain serving, TP adds the
// collectives' closed forms to the shard's step times, dp replicas share the requests, and bad plans.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/sim/cli_harness.h"

using namespace npusim_test;

namespace {

const std::string kTraffic = " --requests 1 --rate 1 --input-tokens fixed:64 --output-tokens fixed:2";

double mean(const nlohmann::json& result, const char* metric) {
  return result["serving"][metric]["mean"].get<double>();
}

}  // namespace

TEST_CASE("serve multichip: a one-chip plan is plain serving") {
  // TP = PP = DP = 1: no collective, and every chip's energy is the one chip's (1 x E + idle x (1 x T - T)).
  const std::string dir = fresh_dir("serve_mc_one");
  const std::string one = write_file(dir, "one.json",
                                     R"({"name": "one", "npu": "furiosa-rngd", "chips": 1, "topology": "switch",
                                         "host_overhead_ns": 0})");
  const std::string model =
      " --gpu none --model llama3.1-8b:layers=2 --requests 4 --rate 50 --input-tokens fixed:64 --output-tokens fixed:4";
  const auto plain = run_result_json("serve --npu furiosa-rngd" + model, dir + "/plain");
  const auto system = run_result_json("serve --system " + one + " --tp 1" + model, dir + "/system");
  for (const char* metric : {"ttft_s", "tpot_s", "e2e_s"}) {
    CHECK(mean(system, metric) == doctest::Approx(mean(plain, metric)).epsilon(1e-12));
  }
  CHECK(system["serving"]["energy_j"].get<double>() ==
        doctest::Approx(plain["serving"]["energy_j"].get<double>()).epsilon(1e-12));
  CHECK(system["system"]["communication"]["npu"]["communication_exposed_s"] == 0.0);
}

TEST_CASE("serve multichip: Llama-3.1-70B TP=8 adds the ring all-reduces over PCIe to the shard's steps") {
  // rngd-server-8: B = 63 GB/s per direction, a = 1.5 us per step, h = 8 us per collective, 8 chips on a
  // switch. FP8 activations (1 B), hidden 8192, vocab 128256, 2 layers: a step of N tokens over S
  // sequences has 1 + 2 x 2 = 5 ring all-reduces of N x 8192 B, each h + 2(8-1) (N x 8192 / 8 / B + a),
  // and one all-gather of the logits, S x 128256 B: h + (8-1) (S x 128256 / 8 / B + a).
  const auto all_reduce = [](double tokens) { return 8e-6 + 14 * (tokens * 8192 / 8 / 63e9 + 1.5e-6); };
  const auto all_gather = [](double seqs) { return 8e-6 + 7 * (seqs * 128256 / 8 / 63e9 + 1.5e-6); };
  const std::string dir = fresh_dir("serve_mc_70b");
  const auto system = run_result_json(
      "serve --system rngd-server-8 --tp 8 --model llama3.1-70b:layers=2 --dtype fp8 "
      "--gpu h100-sxm5 --gpu-system h100-sxm5-x8-nvlink" +
          kTraffic,
      dir + "/system");
  // One request of 64 prompt tokens and 2 output tokens: a prefill step (N = 64, S = 1), then a decode
  // step (N = 1, S = 1).
  const double prefill_comm = 5 * all_reduce(64) + all_gather(1);
  const double decode_comm = 5 * all_reduce(1) + all_gather(1);
  const auto& npu = system["system"]["communication"]["npu"];
  CHECK(npu["communication_exposed_s"].get<double>() == doctest::Approx(prefill_comm + decode_comm).epsilon(1e-4));
  CHECK(npu["link_energy_j"].get<double>() > 0.0);
  CHECK(system["system"]["communication"]["gpu"]["communication_exposed_s"].get<double>() > 0.0);
  CHECK(system["gpu_serving"]["requests"] == 1);
  // The shard served alone on one chip: the system's TTFT is its TTFT plus the prefill's collectives.
  const std::string shard = system["system"]["plan"]["shard_model"].get<std::string>();
  const auto alone = run_result_json(
      "serve --npu furiosa-rngd --gpu none --dtype fp8 --model " + shard + kTraffic, dir + "/shard");
  CHECK(mean(system, "ttft_s") == doctest::Approx(mean(alone, "ttft_s") + prefill_comm).epsilon(1e-4));
  CHECK(mean(system, "tpot_s") == doctest::Approx(mean(alone, "tpot_s") + decode_comm).epsilon(1e-4));
}

TEST_CASE("serve multichip: two data-parallel replicas serve two simultaneous requests at once") {
  // One sequence an iteration. On one replica the second request waits for the first's prefill P and
  // decode D: TTFTs P and 2P + D. With --dp 2 each replica serves one request alone: both TTFTs are P,
  // the TTFT of a single request served alone.
  const std::string dir = fresh_dir("serve_mc_dp");
  const std::string line = "{\"arrival_s\": 0, \"input_tokens\": 64, \"output_tokens\": 2}\n";
  const std::string single = write_file(dir, "one.jsonl", line);
  const std::string pair = write_file(dir, "two.jsonl", line + line);
  const std::string common = " --system rngd-server-8 --gpu none --model llama3.1-8b:layers=2 --max-num-seqs 1";
  const auto alone = run_result_json("serve --dp 1 --traffic " + single + common, dir + "/alone");
  const auto one = run_result_json("serve --dp 1 --traffic " + pair + common, dir + "/dp1");
  const auto two = run_result_json("serve --dp 2 --traffic " + pair + common, dir + "/dp2");
  const double p = mean(alone, "ttft_s");
  CHECK(mean(two, "ttft_s") == doctest::Approx(p).epsilon(1e-12));
  CHECK(two["serving"]["ttft_s"]["p90"].get<double>() == doctest::Approx(p).epsilon(1e-12));
  CHECK(one["serving"]["ttft_s"]["p90"].get<double>() > 2 * p);
  CHECK(two["system"]["chips_used"] == 2);
}

TEST_CASE("serve multichip: bad plans") {
  const std::string serve = "serve --gpu none --requests 2 --model ";
  check_rejected(serve + "llama3.1-70b --system rngd-server-8 --tp 3", "--tp: expected a divisor of the model's heads (64), got 3");
  check_rejected(serve + "llama3.1-8b --tp 2", "--tp: plan options need --system");
  check_rejected(serve + "llama3.1-8b --system rngd-server-8 --pp 2 --micro-batches 2", "--micro-batches: applies to run");
  check_rejected(serve + "llama3.1-8b --system rngd-server-8 --dp 2 --find-max-rate --slo ttft_p90_s=1",
                 "--find-max-rate: is not modelled with --dp > 1");
  check_rejected(serve + "llama3.1-70b --system rngd-server-8 --tp 16", "--tp: the plan needs tp*pp*dp = 16 chips");
  // Llama-3.1-405B at FP16 on 8 cards: 101.47 GB of weights a card against 51.54 GB.
  check_rejected(serve + "llama3.1-405b --dtype bf16 --system rngd-server-8 --tp 8",
                 "--tp: the plan does not fit each chip's memory by 49.93 GB");
  check_rejected(serve + "llama3.1-70b --system rngd-server-8 --tp 8 --gpu-system h100-sxm5-x8-nvlink --chips 4",
                 "--tp: the plan needs tp*pp*dp = 8 chips, the system has 4");
}
