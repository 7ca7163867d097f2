// Serve points (sim/sweep/serve_point.h) in sweep specs and the regression suite: parsing and
// validation in process, and a sweep whose points run `npusim serve` end to end.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "arch/spec/input_error.h"
#include "sim/sweep/point_runner.h"
#include "sim/sweep/results_store.h"
#include "sim/sweep/serve_point.h"
#include "sim/sweep/sweep_expansion.h"
#include "tests/sim/cli_harness.h"
#include "tests/support/input_error_of.h"

using namespace npusim_test;

namespace {

// A 2-layer Llama-3.1-8B served briefly: small step-cost tables, the real shapes.
nlohmann::json serve_spec() {
  return nlohmann::json::parse(R"({
    "npu": "furiosa-rngd",
    "gpu": "h100-sxm5",
    "axes": [{"path": "npu.dram.bandwidth_gbytes_per_s", "values": [768, 1536]}],
    "workloads": [{"serve": {"model": "llama3.1-8b:layers=2", "rate": 20, "requests": 30,
                             "input_tokens": "uniform:32:128", "output_tokens": "fixed:8",
                             "max_num_seqs": 8, "max_batched_tokens": 256, "validation_steps": 2,
                             "slo": "ttft_p90_s=1,tpot_p99_s=0.1"}}]
  })");
}

std::string error_of(const nlohmann::json& spec) {
  return input_error_of(
      [&] { (void)npusim::expand_sweep(npusim::parse_sweep_spec(spec, "spec.json"), false); });
}

}  // namespace

TEST_CASE("serve point: its options become `npusim serve` arguments, part of the point id") {
  const auto expansion = npusim::expand_sweep(npusim::parse_sweep_spec(serve_spec(), "spec.json"), true);
  REQUIRE(expansion.points.size() == 2);
  const auto& request = expansion.points.front().request;
  CHECK(npusim::is_serve_workload(request.workload));
  CHECK(npusim::serve_point_model(request.workload) == "llama3.1-8b:layers=2");
  const auto args = npusim::worker_arguments(request, "OUT");
  REQUIRE(args.size() > 4);
  CHECK(args[0] == "serve");
  CHECK(args[1] == "--npu");
  const std::string joined = [&] {
    std::string text;
    for (const auto& a : args) text += a + " ";
    return text;
  }();
  CHECK(joined.find("--max-num-seqs 8 ") != std::string::npos);
  CHECK(joined.find("--input-tokens uniform:32:128 ") != std::string::npos);
  CHECK(joined.find("--gpu h100-sxm5 ") != std::string::npos);
  CHECK(joined.find("--workload") == std::string::npos);
  CHECK(joined.find("--quiet --out OUT") != std::string::npos);
  CHECK(expansion.points[0].id != expansion.points[1].id);
}

TEST_CASE("serve point: bad options name the spec field") {
  auto json = serve_spec();
  json["workloads"][0]["serve"]["max_seqs"] = 4;
  CHECK(error_of(json).find("spec.json: workloads[0].serve.max_seqs: unknown field") == 0);
  json = serve_spec();
  json["workloads"][0]["serve"].erase("model");
  CHECK(error_of(json).find("spec.json: workloads[0].serve.model: missing") == 0);
  json = serve_spec();
  json["workloads"][0]["serve"]["find_max_rate"] = "yes";
  CHECK(error_of(json).find("workloads[0].serve.find_max_rate: expected true or false") != std::string::npos);
  json = serve_spec();
  json["workloads"][0]["serve"]["input_tokens"] = "fixed: 12";
  CHECK(error_of(json).find("expected a value without whitespace") != std::string::npos);
  json = serve_spec();
  json["workloads"][0]["serve"]["model"] = "llama9";
  CHECK(error_of(json).find("spec.json: workloads[0]") == 0);
  json = serve_spec();
  json["workloads"][0]["extra"] = 1;
  CHECK(error_of(json).find("spec.json: workloads[0].extra: unknown field") == 0);
}

TEST_CASE("serve point metrics: each device's serving scalars by section; arrays left out") {
  const auto result = nlohmann::ordered_json::parse(R"({
    "serving": {"requests": 3, "ttft_s": {"p99": 0.5}, "kv_cache_occupancy": {"interval_s": 0.1, "mean_fraction": [0.5]}},
    "gpu_serving": {"output_tokens_per_j": 2.5},
    "find_max_rate": {"npu": {"max_rate_per_s": 7.0, "knee": {"rate_per_s": [1, 2]}}}
  })");
  const auto metrics = npusim::metrics_from_result(result);
  CHECK(metrics["serving.requests"] == 3);
  CHECK(metrics["serving.ttft_s.p99"] == 0.5);
  CHECK(metrics["serving.kv_cache_occupancy.interval_s"] == 0.1);
  CHECK_FALSE(metrics.contains("serving.kv_cache_occupancy.mean_fraction"));
  CHECK(metrics["gpu_serving.output_tokens_per_j"] == 2.5);
  CHECK(metrics["find_max_rate.npu.max_rate_per_s"] == 7.0);
}

TEST_CASE("cli sweep: serve points run `npusim serve` and record both devices' metrics") {
  const std::string dir = fresh_dir("sweep_serve");
  const std::string spec = write_file(dir, "spec.json", serve_spec().dump());
  const CommandResult result = run_npusim("sweep " + spec + " --out " + dir + "/out -j 2");
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  const npusim::ResultSet results = npusim::read_results(dir + "/out");
  REQUIRE(results.by_id.size() == 2);
  double slower = 0, faster = 0;
  for (const auto& [id, line] : results.by_id) {
    REQUIRE(line["status"] == "ok");
    const auto& m = line["metrics"];
    CHECK(m["serving.requests"] == 30);
    CHECK(m["gpu_serving.requests"] == 30);
    (line["axes"]["npu.dram.bandwidth_gbytes_per_s"] == 768 ? slower : faster) = m["serving.tpot_s.mean"].get<double>();
  }
  // Decode streams the weights from DRAM: twice the bandwidth, shorter time per output token.
  CHECK(faster < slower);
}

TEST_CASE("serve point: plan keys and plan axes (tp, pp, ep, dp, system) become serve's plan options") {
  auto json = serve_spec();
  json["workloads"][0]["serve"]["system"] = "rngd-server-8";
  json["axes"] = nlohmann::json::parse(R"([{"path": "tp", "values": [1, 2]}, {"path": "dp", "values": [1, 4]}])");
  const auto expansion = npusim::expand_sweep(npusim::parse_sweep_spec(json, "spec.json"), false);
  REQUIRE(expansion.points.size() == 4);
  const auto& last = expansion.points.back();
  CHECK(last.request.workload.find("--system rngd-server-8") != std::string::npos);
  CHECK(last.request.workload.find(" --tp 2 --dp 4") != std::string::npos);
  CHECK(last.axes["tp"] == 2);
  CHECK(expansion.points[0].id != last.id);
  // A plan axis needs a serve point; degrees are positive integers.
  auto run_spec = json;
  run_spec["workloads"] = {"fc:in=64,out=64"};
  CHECK(error_of(run_spec).find("spec.json: axes[0].path: 'tp' is a multi-chip plan option") == 0);
  json["axes"][0]["values"] = {0};
  CHECK(error_of(json).find("spec.json: axes[0].values[0]: expected a degree from 1 to 1024, got 0") == 0);
}

TEST_CASE("cli sweep: a serve point with a TP axis records each plan's communication") {
  const std::string dir = fresh_dir("sweep_serve_tp");
  auto json = serve_spec();
  json.erase("gpu");
  json["workloads"][0]["serve"]["system"] = "rngd-server-8";
  json["workloads"][0]["serve"]["requests"] = 4;
  json["axes"] = nlohmann::json::parse(R"([{"path": "tp", "values": [1, 2]}])");
  const std::string spec = write_file(dir, "spec.json", json.dump());
  const CommandResult result = run_npusim("sweep " + spec + " --out " + dir + "/out -j 2");
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  const npusim::ResultSet results = npusim::read_results(dir + "/out");
  REQUIRE(results.by_id.size() == 2);
  for (const auto& [id, line] : results.by_id) {
    REQUIRE(line["status"] == "ok");
    const double communication = line["metrics"]["system.communication.npu.communication_exposed_s"].get<double>();
    // TP=1 has no collective; TP=2 pays at least the host overhead (8 us) of its all-reduces.
    if (line["axes"]["tp"] == 1) CHECK(communication == 0.0);
    if (line["axes"]["tp"] == 2) CHECK(communication > 0.0);
  }
}
