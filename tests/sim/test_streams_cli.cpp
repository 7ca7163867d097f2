// `npusim serve` with periodic streams end to end: the frame latency against `npusim run`, the camera count
// --find-max-streams finds against floor(period / latency), partitions against a chip of those cores.
#include <doctest/doctest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "tests/sim/cli_harness.h"

using namespace npusim_test;

namespace {

// `npusim run` of one workload: {NPU seconds, GPU seconds (0 without --gpu)}.
std::pair<double, double> run_latency(const std::string& npu_args, const std::string& workload,
                                      const std::string& gpu) {
  const auto r = run_result_json("run -q " + npu_args + " --gpu " + gpu + " --workload " + workload,
                                 fresh_dir("streams_run"));
  const auto& w = r["workloads"][0];
  return {w["totals"]["time_s"].get<double>(),
          gpu == "none" ? 0.0 : w["comparison"]["gpu"]["time_s"].get<double>()};
}

std::string traffic(const std::string& streams) {
  return write_file(fresh_dir("streams_in"), "t.json", "{\"streams\": [" + streams + "]}");
}

}  // namespace

TEST_CASE("one stream on an idle NPU and GPU: every frame takes the model's `npusim run` latency") {
  const auto [npu_s, gpu_s] = run_latency("--npu mobilint-aries", "yolov5s", "jetson-agx-orin");
  // 10 Hz for 1 s: 10 frames 100 ms apart, each alone on the device (latency of ~2 ms << 100 ms).
  const auto r =
      run_result_json("serve --npu mobilint-aries --gpu jetson-agx-orin --duration-s 1 --traffic " +
                          traffic(R"({"name": "cam", "model": "yolov5s", "rate_hz": 10})"),
                      fresh_dir("streams_idle"));
  for (const auto& [key, expected] : {std::pair{"streams", npu_s}, std::pair{"gpu_streams", gpu_s}}) {
    const auto& s = r[key][0];
    CAPTURE(key);
    CHECK(s["frames"] == 10);
    CHECK(s["dropped_frames"] == 0);
    CHECK(s["deadline_miss_ratio"] == 0.0);
    CHECK(s["latency_s"]["max"].get<double>() == doctest::Approx(expected).epsilon(1e-9));
    CHECK(s["latency_s"]["p50"].get<double>() == doctest::Approx(expected).epsilon(1e-9));
  }
  // Utilisation = 10 frames x latency / 1 s.
  CHECK(r["stream_devices"]["npu"]["utilization"].get<double>() == doctest::Approx(10 * npu_s).epsilon(1e-9));
  CHECK(r["stream_devices"]["npu"]["average_power_w"].get<double>() > 0);
}

TEST_CASE("--find-max-streams, serial time-sharing without batching: floor(period / latency) cameras") {
  const double latency = run_latency("--npu mobilint-aries", "yolov5s", "none").first;
  // 30 Hz cameras, all aligned, deadline = period = 1/30 s: camera n ends at n x latency, so the most that
  // meet it is floor(period / latency) (the bisection may land one off at an exact tie; allow +-1).
  const auto expected = static_cast<int64_t>(std::floor((1.0 / 30.0) / latency));
  const auto r = run_result_json(
      "serve --npu mobilint-aries --gpu none --duration-s 0.2 --policy edf --frame-batch 1 "
      "--find-max-streams cam "
      "--traffic " +
          traffic(R"({"name": "cam", "model": "yolov5s", "rate_hz": 30})"),
      fresh_dir("streams_max"));
  CAPTURE(expected);
  const int64_t found = r["streams"][0]["max_streams"].get<int64_t>();
  CHECK(std::abs(found - expected) <= 1);
  CHECK(r["find_max_streams"]["npu"]["max_streams"] == found);
}

TEST_CASE("partition: a stream on k dedicated cores runs at the latency of a k-core chip") {
  const double on_two = run_latency("--npu mobilint-aries --set npu.cores=2", "mobilenetv2", "none").first;
  const double on_six = run_latency("--npu mobilint-aries --set npu.cores=6", "yolov5s", "none").first;
  const auto r =
      run_result_json("serve --npu mobilint-aries --gpu none --duration-s 0.5 --policy partition --traffic " +
                          traffic(R"({"name": "cls", "model": "mobilenetv2", "rate_hz": 20, "cores": 2},
                                         {"name": "det", "model": "yolov5s", "rate_hz": 20})"),
                      fresh_dir("streams_partition"));
  CHECK(r["streams"][0]["cores"] == 2);
  CHECK(r["streams"][1]["cores"] == 6);  // the rest of the 8 cores
  CHECK(r["streams"][0]["latency_s"]["max"].get<double>() == doctest::Approx(on_two).epsilon(1e-9));
  CHECK(r["streams"][1]["latency_s"]["max"].get<double>() == doctest::Approx(on_six).epsilon(1e-9));
}

TEST_CASE("streams beside LLM requests: one engine run per device serves both") {
  const double frame_s = run_latency("--npu furiosa-rngd", "mobilenetv2", "none").first;
  // 10 frames (10 Hz for 1 s) and 2 requests in one file; a frame waits at most for the LLM iteration in
  // flight when it arrives, so no frame is faster than the model alone.
  const std::string file = write_file(fresh_dir("streams_mixed_in"), "t.json", R"({
      "streams": [{"name": "cam", "model": "mobilenetv2", "rate_hz": 10}],
      "requests": [{"arrival_s": 0.0, "input_tokens": 40, "output_tokens": 4},
                   {"arrival_s": 0.05, "input_tokens": 60, "output_tokens": 3}]})");
  const auto r = run_result_json(
      "serve --npu furiosa-rngd --gpu none --model llama3.1-8b:layers=2 --duration-s 1 --traffic " + file,
      fresh_dir("streams_mixed"));
  CHECK(r["serving"]["requests"] == 2);
  CHECK(r["streams"][0]["frames"] == 10);
  CHECK(r["streams"][0]["completed_frames"] == 10);
  CHECK(r["streams"][0]["latency_s"]["p50"].get<double>() >= frame_s * (1 - 1e-9));
  CHECK(r["stream_devices"]["npu"]["utilization"].get<double>() <= 1.0);
}
