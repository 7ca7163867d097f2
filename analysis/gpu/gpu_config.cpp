#include "analysis/gpu/gpu_config.h"

#include <sstream>

#include "arch/spec/energy_config.h"
#include "arch/spec/json_reader.h"

namespace npusim {
namespace {

struct GpuDtypeInfo {
  const char* name;
  uint32_t bytes;
};
constexpr GpuDtypeInfo kGpuDtypes[] = {{"int8", 1}, {"fp8", 1},  {"fp16", 2},
                                       {"bf16", 2}, {"tf32", 4}, {"fp32", 4}};

std::string format_number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// An object mapping dtype names to positive numbers; a name outside gpu_dtype_names() is an error.
std::map<std::string, double> read_dtype_map(ObjectReader& parent, const nlohmann::json& document,
                                             const char* key, const std::string& file, bool fractions) {
  std::map<std::string, double> out;
  ObjectReader reader = parent.child(key);  // validates that the value is an object
  const auto it = document.find(key);
  if (it == document.end() || it->is_null()) return out;
  for (const auto& item : it->items()) {
    if (!is_gpu_dtype(item.key())) {
      throw InputError(file, reader.path_of(item.key().c_str()),
                       "'" + item.key() + "' is not a known data type: " + known_gpu_dtype_names());
    }
    double value = 0.0;
    reader.read_positive(item.key().c_str(), value);
    if (fractions && value > 1.0) reader.fail(item.key().c_str(), "expected a fraction in (0, 1]");
    out[item.key()] = value;
  }
  reader.finish();
  return out;
}

void read_fraction(ObjectReader& reader, const char* key, double& out) {
  reader.read_positive(key, out);
  if (out > 1.0) reader.fail(key, "expected a fraction in (0, 1], got " + format_number(out));
}

void parse_achievable(ObjectReader reader, const nlohmann::json& document, const std::string& file,
                      GpuAchievable& achievable) {
  read_fraction(reader, "large_gemm", achievable.large_gemm);
  if (reader.has("large_gemm_by_dtype")) {
    achievable.large_gemm_by_dtype = read_dtype_map(reader, document, "large_gemm_by_dtype", file, true);
  } else {
    reader.child("large_gemm_by_dtype");
  }
  read_fraction(reader, "small_k_gemm", achievable.small_k_gemm);
  reader.read("small_k_max", achievable.small_k_max);
  reader.read("gemv_max_m", achievable.gemv_max_m);
  read_fraction(reader, "streaming", achievable.streaming);
  read_fraction(reader, "weight_streaming", achievable.weight_streaming);
  reader.finish();
}

void parse_overhead(ObjectReader reader, GpuKernelOverhead& overhead) {
  const int mode = reader.read_choice("mode", {"graphs", "eager"});
  if (mode >= 0) overhead.mode = static_cast<KernelOverheadMode>(mode);
  reader.read_non_negative("graphs_us", overhead.graphs_us);
  reader.read_non_negative("eager_us", overhead.eager_us);
  reader.finish();
}

GpuTile parse_tile(ObjectReader& reader, const std::string& text) {
  const auto x = text.find('x');
  const auto bad = [&]() { reader.fail("shapes", "'" + text + "' is not a tile shape like \"256x128\""); };
  if (x == std::string::npos || x == 0 || x + 1 >= text.size()) bad();
  const std::string m = text.substr(0, x);
  const std::string n = text.substr(x + 1);
  if (m.find_first_not_of("0123456789") != std::string::npos ||
      n.find_first_not_of("0123456789") != std::string::npos || m.size() > 6 || n.size() > 6) {
    bad();
  }
  GpuTile tile{static_cast<uint32_t>(std::stoul(m)), static_cast<uint32_t>(std::stoul(n))};
  if (tile.m == 0 || tile.n == 0) bad();
  return tile;
}

void parse_tiles(ObjectReader reader, GpuConfig& config) {
  if (reader.has("shapes")) {
    config.tiles.clear();
    for (const auto& text : reader.read_string_list("shapes"))
      config.tiles.push_back(parse_tile(reader, text));
    if (config.tiles.empty()) reader.fail("shapes", "expected at least one tile shape");
  } else {
    reader.read_string_list("shapes");
  }
  reader.read_positive("ctas_per_sm", config.ctas_per_sm);
  reader.read_non_negative("prefer_larger_within", config.prefer_larger_within);
  if (config.prefer_larger_within >= 1.0) {
    reader.fail("prefer_larger_within",
                "expected a fraction in [0, 1), got " + format_number(config.prefer_larger_within));
  }
  reader.finish();
}

void parse_power_modes(ObjectReader reader, const nlohmann::json* modes, GpuPowerCap& cap) {
  if (modes == nullptr || modes->is_null()) return reader.finish();
  cap.modes_w.clear();
  for (const auto& item : modes->items()) {
    double watts = 0.0;
    reader.read_positive(item.key().c_str(), watts);
    cap.modes_w[item.key()] = watts;
  }
  reader.finish();
}

void parse_power_model(ObjectReader reader, const nlohmann::json& document, GpuConfig& config) {
  reader.read_non_negative("w_compute", config.w_compute);
  reader.read_non_negative("w_memory", config.w_memory);
  const auto modes = document.find("modes_w");
  parse_power_modes(reader.child("modes_w"), modes == document.end() ? nullptr : &*modes, config.power_cap);
  reader.read("mode", config.power_cap.mode);
  if (!config.power_cap.mode.empty() && config.power_cap.modes_w.count(config.power_cap.mode) == 0) {
    std::string known;
    for (const auto& [name, watts] : config.power_cap.modes_w) known += (known.empty() ? "" : ", ") + name;
    reader.fail("mode", "'" + config.power_cap.mode + "' is not one of gpu.power_model.modes_w: " +
                            (known.empty() ? std::string("(none defined)") : known));
  }
  read_fraction(reader, "min_clock_ratio", config.power_cap.min_clock_ratio);
  reader.finish();
}

void parse_sources(ObjectReader reader, const nlohmann::json* document, GpuConfig& config) {
  if (document == nullptr || document->is_null()) return reader.finish();
  for (const auto& item : document->items()) {
    std::string text;
    reader.read(item.key().c_str(), text);
    config.sources[item.key()] = text;
  }
  reader.finish();
}

void parse_compute_dtype(ObjectReader& reader, GpuConfig& config) {
  reader.read("compute_dtype", config.compute_dtype);
  if (config.compute_dtype.empty()) return;
  if (!is_gpu_dtype(config.compute_dtype)) {
    reader.fail("compute_dtype",
                "'" + config.compute_dtype + "' is not a known data type: " + known_gpu_dtype_names());
  }
  if (config.compute_dtype != "fp32" && config.peak_tensor_tflops.count(config.compute_dtype) == 0) {
    reader.fail("compute_dtype", config.name + " has no " + config.compute_dtype +
                                     " tensor throughput (absent from gpu.peak_tensor_tflops)");
  }
}

nlohmann::json tile_list(const std::vector<GpuTile>& tiles) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& tile : tiles) list.push_back(std::to_string(tile.m) + "x" + std::to_string(tile.n));
  return list;
}

}  // namespace

const char* kernel_overhead_mode_name(KernelOverheadMode mode) {
  return mode == KernelOverheadMode::kGraphs ? "graphs" : "eager";
}

double gpu_power_cap_w(const GpuConfig& config) {
  const auto it = config.power_cap.modes_w.find(config.power_cap.mode);
  return it != config.power_cap.modes_w.end() ? it->second : config.tdp_w;
}

const std::vector<std::string>& gpu_dtype_names() {
  static const std::vector<std::string> kNames = [] {
    std::vector<std::string> names;
    for (const auto& info : kGpuDtypes) names.emplace_back(info.name);
    return names;
  }();
  return kNames;
}

bool is_gpu_dtype(const std::string& name) { return gpu_dtype_bytes(name) != 0; }

uint32_t gpu_dtype_bytes(const std::string& name) {
  for (const auto& info : kGpuDtypes) {
    if (name == info.name) return info.bytes;
  }
  return 0;
}

std::string known_gpu_dtype_names() {
  std::string out;
  for (const auto& name : gpu_dtype_names()) out += (out.empty() ? "" : ", ") + name;
  return out;
}

GpuConfig parse_gpu_config(const nlohmann::json& document, const std::string& file) {
  GpuConfig config;
  config.file = file;
  ObjectReader reader(document, file, "gpu");
  reader.read("name", config.name);
  reader.read("description", config.description);
  {
    const auto it = document.find("sources");
    parse_sources(reader.child("sources"), it == document.end() ? nullptr : &*it, config);
  }
  reader.read_positive("sms", config.sms);
  reader.read_positive("clock_mhz", config.clock_mhz);
  read_fraction(reader, "clock_derate", config.clock_derate);
  if (reader.has("peak_tensor_tflops")) {
    config.peak_tensor_tflops = read_dtype_map(reader, document, "peak_tensor_tflops", file, false);
  } else {
    reader.child("peak_tensor_tflops");
  }
  reader.read_positive("fp32_tflops", config.fp32_tflops);
  reader.read("dram_kind", config.dram_kind);
  if (find_dram_energy(config.dram_kind) == nullptr) {
    reader.fail("dram_kind", "'" + config.dram_kind + "' is not one of: " + known_dram_kinds());
  }
  reader.read_positive("dram_bandwidth_gbytes_per_s", config.dram_bandwidth_gbytes_per_s);
  reader.read("l2_bytes", config.l2_bytes);
  reader.read("smem_per_sm_bytes", config.smem_per_sm_bytes);
  reader.read_positive("tdp_w", config.tdp_w);
  reader.read_non_negative("idle_w", config.idle_w);
  if (config.idle_w > config.tdp_w) {
    reader.fail("idle_w", "idle power " + format_number(config.idle_w) + " W exceeds gpu.tdp_w " +
                              format_number(config.tdp_w) + " W");
  }
  {
    const auto it = document.find("power_model");
    static const nlohmann::json kEmpty = nlohmann::json::object();
    parse_power_model(reader.child("power_model"), it == document.end() || !it->is_object() ? kEmpty : *it,
                      config);
  }
  {
    const auto it = document.find("achievable");
    static const nlohmann::json kEmpty = nlohmann::json::object();
    parse_achievable(reader.child("achievable"), it == document.end() ? kEmpty : *it, file,
                     config.achievable);
  }
  parse_overhead(reader.child("kernel_overhead"), config.kernel_overhead);
  parse_tiles(reader.child("tiles"), config);
  reader.read("fuse_elementwise", config.fuse_elementwise);
  reader.read("l2_residency", config.l2_residency);
  read_fraction(reader, "l2_residency_fraction", config.l2_residency_fraction);
  reader.read("engine_batch_search", config.engine_batch_search);
  parse_compute_dtype(reader, config);
  reader.finish();
  return config;
}

nlohmann::json gpu_config_to_json(const GpuConfig& c) {
  nlohmann::json achievable = {
      {"large_gemm", c.achievable.large_gemm},   {"small_k_gemm", c.achievable.small_k_gemm},
      {"small_k_max", c.achievable.small_k_max}, {"gemv_max_m", c.achievable.gemv_max_m},
      {"streaming", c.achievable.streaming},     {"weight_streaming", c.achievable.weight_streaming}};
  if (!c.achievable.large_gemm_by_dtype.empty())
    achievable["large_gemm_by_dtype"] = c.achievable.large_gemm_by_dtype;
  nlohmann::json out = {
      {"name", c.name},
      {"description", c.description},
      {"sms", c.sms},
      {"clock_mhz", c.clock_mhz},
      {"clock_derate", c.clock_derate},
      {"peak_tensor_tflops", c.peak_tensor_tflops},
      {"fp32_tflops", c.fp32_tflops},
      {"dram_kind", c.dram_kind},
      {"dram_bandwidth_gbytes_per_s", c.dram_bandwidth_gbytes_per_s},
      {"l2_bytes", c.l2_bytes},
      {"smem_per_sm_bytes", c.smem_per_sm_bytes},
      {"tdp_w", c.tdp_w},
      {"idle_w", c.idle_w},
      {"power_model",
       {{"w_compute", c.w_compute},
        {"w_memory", c.w_memory},
        {"modes_w", c.power_cap.modes_w},
        {"mode", c.power_cap.mode},
        {"min_clock_ratio", c.power_cap.min_clock_ratio}}},
      {"achievable", achievable},
      {"kernel_overhead",
       {{"mode", kernel_overhead_mode_name(c.kernel_overhead.mode)},
        {"graphs_us", c.kernel_overhead.graphs_us},
        {"eager_us", c.kernel_overhead.eager_us}}},
      {"tiles",
       {{"shapes", tile_list(c.tiles)},
        {"ctas_per_sm", c.ctas_per_sm},
        {"prefer_larger_within", c.prefer_larger_within}}},
      {"fuse_elementwise", c.fuse_elementwise},
      {"l2_residency", c.l2_residency},
      {"l2_residency_fraction", c.l2_residency_fraction},
      {"engine_batch_search", c.engine_batch_search},
      {"compute_dtype", c.compute_dtype},
  };
  if (!c.sources.empty()) out["sources"] = c.sources;
  return out;
}

}  // namespace npusim
