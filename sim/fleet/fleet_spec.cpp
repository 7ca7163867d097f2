#include "sim/fleet/fleet_spec.h"

#include <filesystem>
#include <set>

#include "analysis/serving/serving_metrics.h"
#include "arch/spec/input_error.h"
#include "arch/spec/json_reader.h"
#include "sim/io/config_loader.h"
#include "sim/run/multichip_run.h"
#include "sim/run/run_job.h"
#include "sim/sweep/serve_point.h"
#include "workloads/traffic/stream_spec.h"
#include "workloads/zoo/model_zoo.h"

namespace npusim {
namespace {

// At most this many devices of one candidate: beyond it the demand is a typo, not a fleet.
constexpr double kMaxDemandAmount = 1e9;

// Keys of a streams demand that are fleet's or serve's, not the traffic entry's: flags of `npusim serve`.
struct StreamFlag {
  const char* key;
  const char* flag;
};
constexpr StreamFlag kStreamFlags[] = {{"policy", "--policy"},
                                       {"duration_s", "--duration-s"},
                                       {"frame_batch", "--frame-batch"},
                                       {"gpu_frame_batch", "--gpu-frame-batch"},
                                       {"preemption_cost_s", "--preemption-cost-s"}};

// Takes the fleet and serve keys out of `entry` (method, count, the flags) into `s`.
void take_stream_keys(nlohmann::json& entry, StreamDemandSpec& s, const std::string& file, const std::string& path) {
  ObjectReader reader(entry, file, path);
  const int method = reader.read_choice("method", {"find_max_streams", "serial_latency"});
  s.serial_latency = method == 1;
  uint64_t count = 0;
  reader.read_positive("count", count);
  if (!reader.has("count") || static_cast<double>(count) > kMaxDemandAmount)
    reader.fail("count", "expected a whole number of streams from 1 to 1e9");
  s.count = static_cast<double>(count);
  if (reader.read_choice("policy", {"partition", "priority", "edf"}) >= 0) s.serve_args = {"--policy", entry["policy"].get<std::string>()};
  for (const StreamFlag& f : kStreamFlags) {
    if (std::string(f.key) == "policy" || !entry.contains(f.key)) continue;
    double value = 0;
    reader.read_positive(f.key, value);
    s.serve_args.insert(s.serve_args.end(), {f.flag, entry[f.key].dump()});
  }
  for (const char* key : {"method", "count", "policy", "duration_s", "frame_batch", "gpu_frame_batch", "preemption_cost_s"})
    entry.erase(key);
}

void check_zoo_model(const std::string& model, const std::string& file, const std::string& where) {
  try {
    build_zoo_workload(parse_workload_spec(model), DType::kInt8);
  } catch (const InputError& e) {
    throw InputError(file, where, "'" + model + "': " + e.message());
  }
}

// The entry is checked by the traffic-file parser itself, as `streams[0]`; its errors are renamed to
// this demand's path.
StreamDemandSpec read_streams(const nlohmann::json& json, const std::string& name, const std::string& file,
                              const std::string& path) {
  if (!json.is_object()) throw InputError(file, path, "expected an object, got " + describe_json(json));
  StreamDemandSpec s;
  nlohmann::json entry = json;
  take_stream_keys(entry, s, file, path);
  if (entry.contains("name")) throw InputError(file, path + ".name", "not allowed: the stream is named after the demand");
  entry["name"] = name;
  entry["count"] = 1;
  s.traffic = {{"streams", nlohmann::json::array({entry})}};
  try {
    const StreamSpec parsed = parse_stream_traffic(s.traffic, file).streams.at(0);
    check_zoo_model(parsed.model, file, "streams[0].model");
    for (size_t i = 0; i < parsed.pipeline.size(); ++i)
      check_zoo_model(parsed.pipeline[i].model, file, "streams[0].pipeline[" + std::to_string(i) + "].model");
    s.model = parsed.model;
    s.rate_hz = parsed.rate_hz;
    s.deadline_s = parsed.deadline_s;
    if (s.serial_latency && !parsed.pipeline.empty())
      throw InputError(file, "streams[0].pipeline", "not with method serial_latency (one model per frame)");
  } catch (const InputError& e) {
    const std::string where = e.where().rfind("streams[0]", 0) == 0 ? path + e.where().substr(10) : e.where();
    throw InputError(file, where, e.message());
  }
  return s;
}

LlmDemandSpec read_llm(const nlohmann::json& object, const std::string& file, const std::string& path) {
  if (!object.is_object()) throw InputError(file, path, "expected an object, got " + describe_json(object));
  LlmDemandSpec l;
  nlohmann::json serve = object;
  const auto rate = object.find("rate_per_s");
  if (rate == object.end()) throw InputError(file, path + ".rate_per_s", "missing (required): requests per second");
  if (!rate->is_number() || !(rate->get<double>() > 0) || rate->get<double>() > kMaxDemandAmount)
    throw InputError(file, path + ".rate_per_s", "expected requests per second > 0, got " + describe_json(*rate));
  l.rate_per_s = rate->get<double>();
  serve.erase("rate_per_s");
  for (const char* key : {"find_max_rate", "traffic"})
    if (serve.contains(key)) throw InputError(file, path + "." + key, "not allowed: fleet runs the capacity search itself on generated traffic");
  if (!serve.contains("slo") || !serve["slo"].is_string())
    throw InputError(file, path + ".slo", "missing (required): the SLO each device must meet, e.g. \"ttft_p90_s=2,tpot_p99_s=0.1\"");
  l.slo = serve["slo"].get<std::string>();
  try {
    parse_slo_spec(l.slo);
  } catch (const InputError& e) {
    throw InputError(file, path + ".slo", e.message());
  }
  const std::string text = parse_serve_point(serve, file, path, [](const std::string& f) { return f; });
  l.serve_args = serve_point_arguments(text);
  l.model = serve_point_model(text);
  check_zoo_model(l.model, file, path + ".model");  // whether it is a decoder, serve says per candidate
  return l;
}

DemandSpec read_demand(const nlohmann::json& json, const std::string& file, const std::string& path) {
  ObjectReader reader(json, file, path);
  DemandSpec d;
  d.path = path;
  reader.read("name", d.name);
  if (d.name.empty()) reader.fail("name", "missing (required): a name for the report");
  const bool streams = reader.has("streams"), llm = reader.has("llm");
  if (streams == llm) reader.fail("streams", "expected exactly one of streams and llm");
  if (streams) d.streams = read_streams(*reader.take("streams"), d.name, file, path + ".streams");
  if (llm) {
    d.is_llm = true;
    d.llm = read_llm(*reader.take("llm"), file, path + ".llm");
  }
  reader.finish();
  return d;
}

// Resolves the preset (an unknown one is an error at the candidate's npu/gpu field) and returns its
// TDP, 0 when it states none.
double device_tdp_w(const CandidateSpec& c, const std::string& file) {
  const std::string field = !c.system.empty() ? ".system" : c.is_gpu() ? ".gpu" : ".npu";
  try {
    if (c.is_gpu()) return c.chips * resolve_gpu_baseline(c.gpu, c.overrides).config.tdp_w;
    std::string source;
    return c.chips * resolve_npu_config(c.npu, c.overrides, &source).power.tdp_w.value_or(0.0);
  } catch (const InputError& e) {
    throw InputError(file, c.path + field, "'" + c.device() + "': " + e.what());
  }
}

// The system's chip preset and count; npu and gpu come from it, not beside it.
void read_system(const ObjectReader& reader, CandidateSpec& c) {
  if (!c.npu.empty() || !c.gpu.empty()) reader.fail("system", "expected a system or a chip (npu, gpu), not both");
  try {
    std::string source;
    const SystemConfig system = resolve_system_config(c.system, {}, &source);
    c.npu = system.npu;
    c.gpu = system.gpu;
    c.chips = system.chips;
  } catch (const InputError& e) {
    reader.fail("system", "'" + c.system + "': " + e.what());
  }
}

CandidateSpec read_candidate(const nlohmann::json& json, const std::string& file, const std::string& path) {
  ObjectReader reader(json, file, path);
  CandidateSpec c;
  c.path = path;
  reader.read("name", c.name);
  reader.read("system", c.system);
  reader.read("npu", c.npu);
  reader.read("gpu", c.gpu);
  if (!c.system.empty()) read_system(reader, c);
  if (c.npu.empty() == c.gpu.empty()) reader.fail("npu", "expected exactly one of npu (preset or file), gpu and system");
  if (c.name.empty()) c.name = c.device();
  c.overrides = reader.read_string_list("set");
  reader.take("sources");
  if (c.is_gpu()) {
    reader.read_positive("gpu_memory_gib", c.gpu_memory_gib);
    if (!reader.has("gpu_memory_gib")) reader.fail("gpu_memory_gib", "missing (required for a GPU): its memory in GiB");
  }
  reader.read_non_negative("unit_price_usd", c.unit_price_usd);
  if (!reader.has("unit_price_usd")) reader.fail("unit_price_usd", "missing (required): the price of one device in USD");
  reader.read_positive("board_power_w", c.board_power_w);
  reader.finish();
  const double tdp_w = device_tdp_w(c, file);
  if (!reader.has("board_power_w")) {
    if (!(tdp_w > 0)) reader.fail("board_power_w", "missing: the preset states no TDP, so give one device's board power in W");
    c.board_power_w = tdp_w;
  }
  return c;
}

const nlohmann::json& array_at(const nlohmann::json& root, const char* key, const std::string& file) {
  const auto it = root.find(key);
  if (it == root.end() || !it->is_array() || it->empty())
    throw InputError(file, key, "missing (required): a non-empty array");
  return *it;
}

// A name without a folder that is no file here is an example under configs/fleet/ ("small").
std::string resolve_spec_file(const std::string& name) {
  namespace fs = std::filesystem;
  if (fs::exists(name) || name.find('/') != std::string::npos) return name;
  const fs::path example = fs::path(configs_dir()) / "fleet" / (fs::path(name).extension() == ".json" ? name : name + ".json");
  return fs::exists(example) ? example.string() : name;
}

}  // namespace

FleetSpec load_fleet_spec(const std::string& name) {
  const std::string file = resolve_spec_file(name);
  const nlohmann::json root = load_json_file(file);
  ObjectReader reader(root, file, "");
  reader.take("description");  // free text for people
  reader.take("sources");      // where each number came from (P/S/D/E), as in presets
  FleetSpec spec;
  spec.file = file;
  reader.read_positive("years", spec.economics.years);
  if (!reader.has("years")) reader.fail("years", "missing (required): years the fleet runs");
  reader.read_non_negative("electricity_usd_per_kwh", spec.economics.electricity_usd_per_kwh);
  if (!reader.has("electricity_usd_per_kwh")) reader.fail("electricity_usd_per_kwh", "missing (required): USD per kWh");
  reader.read_positive("pue", spec.economics.pue);
  if (spec.economics.pue < 1.0 || spec.economics.pue > 5.0) reader.fail("pue", "expected a PUE from 1 to 5");
  std::set<std::string> names;
  const nlohmann::json& demands = array_at(root, "demands", file);
  reader.take("demands");
  for (size_t i = 0; i < demands.size(); ++i) {
    spec.demands.push_back(read_demand(demands[i], file, "demands[" + std::to_string(i) + "]"));
    if (!names.insert(spec.demands.back().name).second) throw InputError(file, spec.demands.back().path + ".name", "repeated name");
  }
  names.clear();
  const nlohmann::json& candidates = array_at(root, "candidates", file);
  reader.take("candidates");
  for (size_t i = 0; i < candidates.size(); ++i) {
    spec.candidates.push_back(read_candidate(candidates[i], file, "candidates[" + std::to_string(i) + "]"));
    if (!names.insert(spec.candidates.back().name).second) throw InputError(file, spec.candidates.back().path + ".name", "repeated name");
  }
  reader.finish();
  return spec;
}

std::vector<FleetDemand> fleet_demands(const FleetSpec& spec) {
  std::vector<FleetDemand> out;
  for (const DemandSpec& d : spec.demands) {
    if (d.is_llm) {
      out.push_back(FleetDemand{d.name, d.llm.rate_per_s, "requests_per_s"});
    } else {
      out.push_back(FleetDemand{d.name, d.streams.count, "streams"});
    }
  }
  return out;
}

}  // namespace npusim
