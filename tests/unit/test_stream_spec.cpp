// Stream traffic files (workloads/traffic/stream_spec.h): defaults, and errors naming the JSON path.
#include <doctest/doctest.h>

#include "arch/spec/input_error.h"
#include "tests/support/input_error_of.h"
#include "workloads/traffic/stream_spec.h"

using namespace npusim;
using namespace npusim_test;
using Json = nlohmann::json;

namespace {

std::string error_of(const Json& document) {
  return input_error_of([&] { parse_stream_traffic(document, "t.json"); });
}

}  // namespace

TEST_CASE("a stream's defaults: one camera, deadline = period, priority 0") {
  const TrafficFile t = parse_stream_traffic(Json::parse(R"({"streams": [{"name": "cam", "model": "yolov5s",
      "rate_hz": 25}]})"),
                                             "t.json");
  REQUIRE(t.streams.size() == 1);
  CHECK(t.streams[0].count == 1);
  CHECK(t.streams[0].deadline_s == doctest::Approx(0.04));  // 1 / 25 Hz
  CHECK(t.streams[0].priority == 0);
  CHECK(t.requests.empty());
}

TEST_CASE("a pipeline stage and LLM requests beside the streams") {
  const TrafficFile t = parse_stream_traffic(Json::parse(R"({"streams": [{"name": "cam", "model": "yolov5s",
      "rate_hz": 30, "count": 8, "deadline_s": 0.05, "priority": 1, "jitter_s": 0.001,
      "pipeline": [{"model": "resnet50", "objects": {"uniform": [0, 4]}}]}],
      "requests": [{"arrival_s": 0.5, "input_tokens": 10, "output_tokens": 2}]})"),
                                             "t.json");
  const StreamSpec& s = t.streams[0];
  CHECK(s.pipeline.size() == 1);
  CHECK(s.pipeline[0].objects.max == 4);
  CHECK(stream_models(t.streams) == std::vector<std::string>{"yolov5s", "resnet50"});
  CHECK(t.requests.size() == 1);
  std::mt19937_64 rng(3);
  for (int i = 0; i < 100; ++i) CHECK(sample_objects(s.pipeline[0].objects, rng) <= 4);
}

TEST_CASE("bad streams name the file and the JSON path") {
  CHECK(error_of(Json::parse(R"({"streams": [{"name": "c", "model": "m", "rate_hz": 0}]})"))
            .find("t.json: streams[0].rate_hz") == 0);
  CHECK(error_of(Json::parse(R"({"streams": [{"name": "c", "model": "m", "rate_hz": 5, "deadline_s": -1}]})"))
            .find("streams[0].deadline_s") != std::string::npos);
  CHECK(error_of(Json::parse(R"({"streams": [{"name": "c", "model": "m", "rate_hz": 5, "fps": 1}]})"))
            .find("streams[0].fps: unknown field") != std::string::npos);
  CHECK(error_of(Json::parse(R"({"streams": [{"name": "c", "model": "m", "rate_hz": 5},
      {"name": "c", "model": "m", "rate_hz": 5}]})"))
            .find("streams[1].name") != std::string::npos);
  CHECK(error_of(Json::parse(R"({"streams": [{"name": "c", "model": "m", "rate_hz": 5,
      "pipeline": [{"model": "r", "objects": -1}]}]})"))
            .find("streams[0].pipeline[0].objects") != std::string::npos);
  CHECK(error_of(Json::parse(R"({"streams": [{"name": "c", "model": "m", "rate_hz": 5}],
      "requests": [{"arrival_s": 0, "input_tokens": 0, "output_tokens": 1}]})"))
            .find("requests[0]") != std::string::npos);
  CHECK(error_of(Json::parse(R"({"streams": []})")).find("streams") != std::string::npos);
}
