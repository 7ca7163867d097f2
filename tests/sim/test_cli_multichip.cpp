// Multi-chip LLM mode end to end (issue 13): a plan over a system preset, TP on a compute-bound
// prefill with a free link, and bad plans (one line naming the option, exit 2, nothing written).
#include <doctest/doctest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/sim/cli_harness.h"

using namespace npusim_test;

namespace {

// Two chips joined by a link no transfer waits on: 1e6 GB/s (1 PB/s, the largest a config may state), no latency,
// no host overhead.
std::string free_link_system(const std::string& dir) {
  return write_file(dir, "free.json",
                    R"({"name": "free", "npu": "datacenter-bf16", "chips": 2, "topology": "switch",
                        "link": {"bandwidth_gbytes_per_s": 1e6, "latency_ns": 0}, "host_overhead_ns": 0})");
}

nlohmann::json run_ok(const std::string& arguments, const std::string& out) {
  return run_result_json(arguments + " --quiet --gpu none", out);
}

}  // namespace

TEST_CASE("cli multichip: TP=2 on a compute-bound prefill with a free link is >= 1.9x faster") {
  // Two Llama-3.1-8B layers, 1024 prompt tokens: the projections and attention halve with the heads and
  // FFN, the norms and residual adds (a few percent) do not; the link costs nothing.
  const std::string dir = fresh_dir("multichip_tp");
  const std::string system = free_link_system(dir);
  const std::string common = "run --system " + system + " --workload llama3.1-8b:layers=2 --prefill 1024 --decode 1";
  const auto one = run_ok(common + " --tp 1", dir + "/tp1");
  const auto two = run_ok(common + " --tp 2", dir + "/tp2");
  const double ttft1 = one["totals"]["ttft_s"].get<double>();
  const double ttft2 = two["totals"]["ttft_s"].get<double>();
  CHECK(ttft1 / ttft2 >= 1.9);
  const auto& sys = two["totals"]["system"];
  CHECK(sys["plan"]["tp"] == 2);
  CHECK(sys["chips_used"] == 2);
  // Free link: next to nothing exposed (an all-reduce moves 2(N-1)/N x 1024 x 4096 x 1 B = 4 MB at 1 PB/s:
  // 4 ns, against a prefill of milliseconds); two all-reduces a layer plus the embedding's, and the
  // logits' gather.
  CHECK(sys["prefill"]["communication_exposed_s"].get<double>() <= 1e-4 * ttft2);
  CHECK(sys["prefill"]["collectives"]["all_reduce_ring"]["count"] == 2 * 2 + 1);
  CHECK(sys["prefill"]["collectives"]["all_gather"]["count"] == 1);
  CHECK(sys["prefill"]["chips"].size() == 2);
}

TEST_CASE("cli multichip: Llama-3.1-70B on the RNGD server and 8xH100, TP=8") {
  const std::string out = fresh_dir("multichip_70b");
  const CommandResult result = run_npusim(
      "run --system rngd-server-8 --tp 8 --workload llama3.1-70b:layers=2 --dtype int8 --prefill 256 "
      "--decode 4 --decode-samples 2 --gpu h100-sxm5 --gpu-system h100-sxm5-x8-nvlink --quiet --out " + out);
  CAPTURE(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK(result.output.find("System rngd-server-8 (8 chips used)") != std::string::npos);
  const auto json = nlohmann::json::parse(read_file(out + "/result.json"));
  const auto& sys = json["totals"]["system"];
  // PCIe: the all-reduces are exposed, so the system is slower than its compute alone.
  CHECK(sys["prefill"]["communication_exposed_s"].get<double>() > 0.0);
  CHECK(sys["prefill"]["time_s"].get<double>() > sys["prefill"]["compute_only_time_s"].get<double>());
  CHECK(sys["link_energy_j"].get<double>() > 0.0);
  CHECK(sys["prefill"]["links"].size() == 16);  // 8 uplinks and 8 downlinks of the switch
  CHECK(sys["gpu"]["name"] == "h100-sxm5-x8-nvlink");
  CHECK(sys["gpu"]["tpot_s"].get<double>() > 0.0);
  CHECK(json["totals"]["tpot_s"] == sys["tpot_s"]);
}

TEST_CASE("cli multichip: bad plans and systems") {
  check_rejected("run --system rngd-server-8 --tp 3 --workload llama3.1-70b --decode 2",
                 "--tp: expected a divisor of the model's heads (64), got 3");
  check_rejected("run --system rngd-server-8 --tp 8 --pp 2 --workload llama3.1-70b --decode 2",
                 "--tp: the plan needs tp*pp*dp = 16 chips, the system has 8");
  // Llama-3.1-405B at FP16: 405,853,388,800 parameters x 2 B = 811.71 GB over 8 cards = 101.46 GB each
  // (+ 0.01 GB of replicated norms), past RNGD's 48 GiB = 51.54 GB by 101.47 - 51.54 = 49.93 GB; the KV
  // cache of 18 tokens is 18 x 2 x 126 layers x 1 K/V head x 128 x 2 B = 1.2 MB.
  check_rejected("run --system rngd-server-8 --tp 8 --workload llama3.1-405b --dtype bf16 --prefill 16 --decode 2",
                 "--tp: the plan does not fit each chip's memory by 49.93 GB: 101.47 GB of weights");
  check_rejected("run --system rngd-server-8 --tp 8 --ep 8 --workload llama3.1-70b --decode 2",
                 "--ep: applies to mixture-of-experts models");
  check_rejected("run --system rngd-server-8 --tp 4 --ep 4 --workload mixtral-8x7b:experts=6 --decode 2",
                 "--ep: expected a divisor of the model's experts (6), got 4");
  check_rejected("run --system rngd-server-8 --pp 81 --chips 128 --workload llama3.1-70b --decode 2",
                 "--pp: expected at most the model's layers (80), got 81");
  check_rejected("run --system rngd-server-8 --set system.topology=ring --workload llama3.1-70b --decode 2",
                 "system.link.ports: a ring of 8 chips needs at least 2 ports");
  check_rejected("run --system rngd-server-8 --tp 8 --workload llama3.1-70b", "--system: needs LLM mode");
  check_rejected("run --tp 2 --workload llama3.1-70b --decode 2", "--tp: plan options need --system");
  check_rejected("run --system h100-sxm5-x8-nvlink --tp 8 --workload llama3.1-70b --decode 2",
                 "--system: 'h100-sxm5-x8-nvlink' is a GPU system");
}

TEST_CASE("cli multichip: Llama-3.1-405B fits 16 RNGD cards at FP8 (TP=8, PP=2)") {
  // 405,853,388,800 parameters x 1 B over 16 chips = 25.37 GB a chip. Exactly: stage 0 holds 63 of the 126
  // layers, each 16384 x (16384 + 2 x 8 x 128) + 16384^2 + 3 x 16384 x 53248 = 3,187,671,040 parameters
  // split 8 ways, its 1/8 of the embedding and head (2 x 128256 x 16384 / 8) and the replicated norms
  // (63 x 2 x 16384 + 16384): 25,630,326,784 B = 25.63 GB, 25.91 GB under the 48 GiB (51.54 GB) card.
  const std::string out = fresh_dir("multichip_405b");
  const auto json = run_ok("run --system rngd-server-8 --chips 16 --tp 8 --pp 2 --workload llama3.1-405b --dtype fp8 "
                           "--prefill 16 --decode 2", out);
  const auto& memory = json["totals"]["system"]["memory_per_chip"];
  const double weights_gb = memory["weight_bytes"].get<double>() / 1e9;
  CHECK(memory["weight_bytes"].get<uint64_t>() == 25630326784ull);
  CHECK(memory["capacity_bytes"].get<double>() / 1e9 - weights_gb == doctest::Approx(25.91).epsilon(0.001));
  CHECK(json["totals"]["system"]["chips_used"] == 16);
}

TEST_CASE("cli multichip: --timeline has a track group per chip and per link, matching the report") {
  // TP=4 x PP=2 on the 8-card server: 8 chip groups (compute and collectives tracks) and the switch's 16
  // directed links. Chip 0's compute spans in the prefill add up to its compute_s, and the bytes of each
  // link's prefill transfers to the link's bytes in the report.
  const std::string dir = fresh_dir("multichip_timeline");
  const CommandResult result = run_npusim(
      "run --system rngd-server-8 --tp 4 --pp 2 --workload llama3.1-70b:layers=4 --dtype fp8 --prefill 64 "
      "--decode 4 --decode-samples 2 --gpu none --quiet --out " + dir + "/out --timeline " + dir + "/t.json");
  CAPTURE(result.output);
  REQUIRE(result.exit_code == 0);
  const auto trace = nlohmann::json::parse(read_file(dir + "/t.json"))["traceEvents"];
  const auto report = nlohmann::json::parse(read_file(dir + "/out/result.json"))["totals"]["system"]["prefill"];
  std::map<int, std::string> groups;
  double chip0_compute_s = 0.0;
  std::map<int, uint64_t> link_bytes;
  for (const auto& event : trace) {
    if (event["ph"] == "M" && event["name"] == "process_name") groups[event["pid"]] = event["args"]["name"];
    if (event["ph"] != "X" || event["args"].value("pass", "") != "prefill") continue;
    if (event["pid"] == 100 && event["tid"] == 1) chip0_compute_s += event["dur"].get<double>() * 1e-6;
    if (event["name"] == "transfer") link_bytes[event["pid"].get<int>() - 100000] += event["args"]["bytes"].get<uint64_t>();
  }
  int chips = 0, links = 0;
  for (const auto& [pid, name] : groups) {
    chips += name.rfind("chip ", 0) == 0 ? 1 : 0;
    links += name.rfind("link ", 0) == 0 ? 1 : 0;
  }
  CHECK(chips == 8);
  CHECK(links == 16);
  CHECK(chip0_compute_s == doctest::Approx(report["chips"][0]["compute_s"].get<double>()).epsilon(1e-9));
  uint64_t reported = 0, traced = 0;
  for (const auto& link : report["links"]) reported += link["bytes"].get<uint64_t>();
  for (const auto& [link, bytes] : link_bytes) traced += bytes;
  CHECK(traced == reported);
  CHECK(reported > 0);
}
