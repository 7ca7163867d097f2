#include "workloads/traffic/stream_spec.h"

#include <fmt/format.h>

#include <climits>
#include <cmath>
#include <set>

#include "arch/spec/input_error.h"
#include "workloads/traffic/request_trace.h"
#include "workloads/traffic/token_distribution.h"

namespace npusim {
namespace {

using Json = nlohmann::json;

void reject_unknown_keys(const Json& object, const std::string& file, const std::string& path,
                         std::initializer_list<const char*> known) {
  if (!object.is_object()) throw InputError(file, path, "expected an object");
  for (const auto& item : object.items()) {
    bool ok = false;
    for (const char* key : known) ok = ok || item.key() == key;
    if (!ok) throw InputError(file, path.empty() ? item.key() : path + "." + item.key(), "unknown field");
  }
}

double positive_seconds_or_hz(const Json& value, const std::string& file, const std::string& path) {
  if (!value.is_number() || !(value.get<double>() > 0.0) || !std::isfinite(value.get<double>()) ||
      value.get<double>() > 1e9)
    throw InputError(file, path, fmt::format("expected a finite number > 0, got {}", value.dump()));
  return value.get<double>();
}

double non_negative_seconds(const Json& value, const std::string& file, const std::string& path) {
  if (!value.is_number() || !(value.get<double>() >= 0.0) || !std::isfinite(value.get<double>()) ||
      value.get<double>() > 1e9)
    throw InputError(file, path,
                     fmt::format("expected a finite number of seconds >= 0, got {}", value.dump()));
  return value.get<double>();
}

int64_t integer_in(const Json& value, int64_t low, int64_t high, const std::string& file,
                   const std::string& path) {
  if (!value.is_number_integer() || value.get<int64_t>() < low || value.get<int64_t>() > high)
    throw InputError(file, path,
                     fmt::format("expected an integer from {} to {}, got {}", low, high, value.dump()));
  return value.get<int64_t>();
}

std::string model_spec(const Json& value, const std::string& file, const std::string& path) {
  if (!value.is_string() || value.get<std::string>().empty())
    throw InputError(file, path, "expected a zoo model name (yolov5s, resnet50:resolution=128, ...)");
  return value.get<std::string>();
}

ObjectCount parse_objects(const Json& value, const std::string& file, const std::string& path) {
  ObjectCount c;
  const int64_t cap = kMaxObjectsPerFrame;
  if (value.is_number_integer()) {
    c.low = c.high = static_cast<double>(integer_in(value, 0, cap, file, path));
    c.max = static_cast<uint32_t>(c.low);
    c.text = fmt::format("fixed:{}", c.max);
    return c;
  }
  reject_unknown_keys(value, file, path, {"uniform", "poisson", "max"});
  if (value.contains("uniform") == value.contains("poisson"))
    throw InputError(file, path,
                     "expected an integer, {\"uniform\": [LOW, HIGH]} or {\"poisson\": MEAN, \"max\": N}");
  if (value.contains("uniform")) {
    const Json& range = value["uniform"];
    if (!range.is_array() || range.size() != 2)
      throw InputError(file, path + ".uniform", "expected [LOW, HIGH]");
    c.kind = ObjectCount::Kind::kUniform;
    c.low = static_cast<double>(integer_in(range[0], 0, cap, file, path + ".uniform[0]"));
    c.high = static_cast<double>(
        integer_in(range[1], static_cast<int64_t>(c.low), cap, file, path + ".uniform[1]"));
    c.max = static_cast<uint32_t>(c.high);
    c.text = fmt::format("uniform:{}:{}", c.low, c.high);
    return c;
  }
  c.kind = ObjectCount::Kind::kPoisson;
  c.low = positive_seconds_or_hz(value["poisson"], file, path + ".poisson");
  if (c.low > 64) throw InputError(file, path + ".poisson", "expected a mean from above 0 to 64");
  c.max = value.contains("max") ? static_cast<uint32_t>(integer_in(value["max"], 1, cap, file, path + ".max"))
                                : static_cast<uint32_t>(std::ceil(c.low + 4.0 * std::sqrt(c.low) + 1.0));
  c.text = fmt::format("poisson:mean={},max={}", c.low, c.max);
  return c;
}

PipelineStage parse_stage(const Json& value, const std::string& file, const std::string& path) {
  reject_unknown_keys(value, file, path, {"model", "objects"});
  PipelineStage stage;
  if (!value.contains("model")) throw InputError(file, path + ".model", "missing field");
  stage.model = model_spec(value["model"], file, path + ".model");
  if (!value.contains("objects"))
    throw InputError(file, path + ".objects", "missing field (objects per frame)");
  stage.objects = parse_objects(value["objects"], file, path + ".objects");
  return stage;
}

void parse_optional_fields(const Json& value, const std::string& file, const std::string& path,
                           StreamSpec& s) {
  if (value.contains("count"))
    s.count = static_cast<uint32_t>(integer_in(value["count"], 1, kMaxStreamCount, file, path + ".count"));
  s.deadline_s = value.contains("deadline_s")
                     ? positive_seconds_or_hz(value["deadline_s"], file, path + ".deadline_s")
                     : s.period_s();
  if (value.contains("phase_s")) s.phase_s = non_negative_seconds(value["phase_s"], file, path + ".phase_s");
  if (value.contains("jitter_s"))
    s.jitter_s = non_negative_seconds(value["jitter_s"], file, path + ".jitter_s");
  if (value.contains("priority"))
    s.priority =
        static_cast<int32_t>(integer_in(value["priority"], INT32_MIN, INT32_MAX, file, path + ".priority"));
  if (value.contains("cores"))
    s.cores = static_cast<uint32_t>(integer_in(value["cores"], 1, 1 << 20, file, path + ".cores"));
  if (value.contains("pipeline")) {
    const Json& stages = value["pipeline"];
    if (!stages.is_array()) throw InputError(file, path + ".pipeline", "expected an array of stages");
    if (stages.size() > kMaxPipelineStages)
      throw InputError(file, path + ".pipeline",
                       fmt::format("expected at most {} stages", kMaxPipelineStages));
    for (size_t k = 0; k < stages.size(); ++k)
      s.pipeline.push_back(parse_stage(stages[k], file, fmt::format("{}.pipeline[{}]", path, k)));
  }
}

StreamSpec parse_stream(const Json& value, size_t index, const std::string& file) {
  const std::string path = fmt::format("streams[{}]", index);
  reject_unknown_keys(value, file, path,
                      {"name", "model", "rate_hz", "count", "deadline_s", "phase_s", "jitter_s", "priority",
                       "cores", "pipeline"});
  StreamSpec s;
  s.index = index;
  if (!value.contains("name") || !value["name"].is_string() || value["name"].get<std::string>().empty())
    throw InputError(file, path + ".name", "expected a non-empty string");
  s.name = value["name"].get<std::string>();
  if (!value.contains("model")) throw InputError(file, path + ".model", "missing field");
  s.model = model_spec(value["model"], file, path + ".model");
  if (!value.contains("rate_hz")) throw InputError(file, path + ".rate_hz", "missing field");
  s.rate_hz = positive_seconds_or_hz(value["rate_hz"], file, path + ".rate_hz");
  parse_optional_fields(value, file, path, s);
  return s;
}

// LLM requests in the same form as request-trace lines; their errors say requests[i].
std::vector<ServeRequest> parse_requests(const Json& array, const std::string& file) {
  if (!array.is_array()) throw InputError(file, "requests", "expected an array of request objects");
  std::string lines;
  for (const Json& item : array) lines += item.dump() + "\n";
  try {
    return parse_request_trace(lines, file);
  } catch (const InputError& e) {
    const std::string& where = e.where();
    if (where.rfind("line ", 0) != 0) throw;
    const uint64_t line = std::stoull(where.substr(5));
    throw InputError(file, fmt::format("requests[{}]", line - 1), e.message());
  }
}

}  // namespace

uint32_t sample_objects(const ObjectCount& count, std::mt19937_64& rng) {
  switch (count.kind) {
    case ObjectCount::Kind::kFixed:
      return count.max;
    case ObjectCount::Kind::kUniform: {
      const double span = count.high - count.low + 1.0;
      return static_cast<uint32_t>(count.low + std::floor(uniform01(rng) * span));
    }
    case ObjectCount::Kind::kPoisson: {
      const double limit = std::exp(-count.low);
      uint32_t k = 0;
      for (double product = uniform01(rng); product > limit && k < count.max; product *= uniform01(rng)) ++k;
      return k;
    }
  }
  return count.max;
}

bool is_stream_traffic(const nlohmann::json& document) {
  return document.is_object() && document.contains("streams");
}

TrafficFile parse_stream_traffic(const nlohmann::json& document, const std::string& file) {
  reject_unknown_keys(document, file, "", {"streams", "requests", "description", "$schema"});
  const Json& streams = document["streams"];
  if (!streams.is_array() || streams.empty()) throw InputError(file, "streams", "expected a non-empty array");
  TrafficFile traffic;
  std::set<std::string> names;
  for (size_t i = 0; i < streams.size(); ++i) {
    traffic.streams.push_back(parse_stream(streams[i], i, file));
    if (!names.insert(traffic.streams.back().name).second)
      throw InputError(file, fmt::format("streams[{}].name", i),
                       "'" + traffic.streams.back().name + "' is used twice");
  }
  if (document.contains("requests")) traffic.requests = parse_requests(document["requests"], file);
  return traffic;
}

std::vector<std::string> stream_models(const std::vector<StreamSpec>& streams) {
  std::vector<std::string> models;
  auto add = [&](const std::string& model) {
    for (const std::string& m : models)
      if (m == model) return;
    models.push_back(model);
  };
  for (const StreamSpec& s : streams) {
    add(s.model);
    for (const PipelineStage& stage : s.pipeline) add(stage.model);
  }
  return models;
}

}  // namespace npusim
