// Expanding a sweep spec into design points: the product of its axis groups, each point's config
// resolved (errors renamed to the spec field that caused them), constraints applied, ids computed.
#include "sim/sweep/sweep_expansion.h"

#include <fmt/format.h>

#include <map>

#include "arch/spec/dtype.h"
#include "arch/spec/input_error.h"
#include "arch/spec/json_reader.h"
#include "arch/spec/npu_config_parse.h"
#include "sim/io/config_loader.h"
#include "sim/run/workload_loader.h"
#include "sim/sweep/serve_point.h"

namespace npusim {
namespace {

constexpr size_t kMaxPoints = 1000000;

const nlohmann::json* lookup_config(const nlohmann::json& config, const std::string& path) {
  const nlohmann::json* node = &config;
  size_t start = 4;  // after "npu."
  while (start <= path.size()) {
    const size_t dot = path.find('.', start);
    const std::string key = path.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!node->is_object()) return nullptr;
    const auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return node;
}

double number_at(const nlohmann::json& config, const std::string& path, const std::string& file,
                 const std::string& field) {
  const nlohmann::json* value = lookup_config(config, path);
  if (value == nullptr) throw InputError(file, field, "'" + path + "' is not a field of the resolved config");
  if (!value->is_number())
    throw InputError(file, field, "'" + path + "' is not a number: " + describe_json(*value));
  return value->get<double>();
}

double constraint_subject(const SweepConstraint& constraint, const nlohmann::json& config,
                          const std::string& file) {
  if (!constraint.path.empty()) return number_at(config, constraint.path, file, constraint.field + ".path");
  const nlohmann::json* cores_json = lookup_config(config, "npu.cores");
  const double cores = cores_json != nullptr && cores_json->is_number() ? cores_json->get<double>() : 1.0;
  if (constraint.derived == "macs") {
    const nlohmann::json* count_json = lookup_config(config, "npu.array.count");
    const double arrays = count_json != nullptr && count_json->is_number() ? count_json->get<double>() : 1.0;
    return number_at(config, "npu.array.rows", file, constraint.field) *
           number_at(config, "npu.array.cols", file, constraint.field) * arrays * cores;
  }
  return number_at(config, "npu.sram.capacity_bytes", file, constraint.field) * cores;
}

bool satisfies(const SweepConstraint& constraint, double value) {
  return (!constraint.min || value >= *constraint.min) && (!constraint.max || value <= *constraint.max);
}

std::string override_text(const SweepAxis& axis, const nlohmann::json& value) {
  return axis.path + "=" + value.dump();
}

// An error from a nested input (preset, workload), re-attributed to the spec field that named it.
std::string nested_message(const InputError& error) {
  if (!error.file().empty() && error.file().front() == '<') return error.message();
  return error.what();
}

// A config error from resolving a point, renamed to the spec field that caused it.
[[noreturn]] void rethrow_for_spec(const InputError& error, const SweepSpec& spec,
                                   const std::vector<size_t>& choice) {
  const std::string& where = error.where();
  for (size_t g = 0; g < spec.groups.size(); ++g) {
    for (const auto& axis : spec.groups[g].axes) {
      // An axis path that is not a config field: the parser stops at its first unknown segment.
      const bool unknown_path =
          error.message() == "unknown field" && (axis.path == where || axis.path.rfind(where + ".", 0) == 0);
      if (unknown_path) {
        throw InputError(spec.file, axis.field + ".path",
                         "'" + axis.path + "' is not a config field (" + where + ": unknown field)");
      }
      const bool names_axis =
          where == axis.path || where.rfind(axis.path + ".", 0) == 0 || where == "--set " + axis.path;
      if (names_axis) {
        throw InputError(spec.file, fmt::format("{}.values[{}]", axis.field, choice[g]),
                         fmt::format("{}: {}", axis.path, error.message()));
      }
    }
  }
  throw InputError(spec.file, "set", nested_message(error));
}


size_t point_count(const SweepSpec& spec) {
  size_t product = spec.workloads.size();
  for (const auto& group : spec.groups) {
    product *= group.size();
    if (product > kMaxPoints)
      throw InputError(spec.file, "axes", fmt::format("more than {} points", kMaxPoints));
  }
  return product;
}

// Workloads are checked once here rather than failing in every worker.
void check_workloads(const SweepSpec& spec) {
  const DType default_dtype = spec.dtype.empty() ? DType::kInt8 : *parse_dtype(spec.dtype);
  for (size_t i = 0; i < spec.workloads.size(); ++i) {
    try {
      const std::string& workload = spec.workloads[i];
      if (is_serve_workload(workload)) {  // its model, as serve loads it; the rest serve checks itself
        (void)load_workload(WorkloadRequest{serve_point_model(workload), 0, std::nullopt}, default_dtype);
        continue;
      }
      (void)load_workload(WorkloadRequest{workload, spec.batch, std::nullopt}, default_dtype);
    } catch (const InputError& error) {
      throw InputError(spec.file, fmt::format("workloads[{}]", i), nested_message(error));
    }
  }
}

ConfigDocument load_base_config(const SweepSpec& spec) {
  try {
    return load_config_document(spec.npu, "npu");
  } catch (const InputError& error) {
    throw InputError(spec.file, "npu", nested_message(error));
  }
}

// Point n of the product as a mixed-radix counter, last group fastest: fills each group's value index
// into `choice` and returns the workload's index, the slowest-moving column.
size_t decode_point(const SweepSpec& spec, size_t n, std::vector<size_t>& choice) {
  size_t rest = n;
  for (size_t g = spec.groups.size(); g-- > 0;) {
    choice[g] = rest % spec.groups[g].size();
    rest /= spec.groups[g].size();
  }
  return rest;
}

// A plan axis value (tp, pp, ep, dp: a degree; system: a preset or file) appended to a serve point's options.
void apply_plan_axis(const SweepSpec& spec, const SweepAxis& axis, size_t value_index, SweepPoint& point) {
  const nlohmann::json& value = axis.values[value_index];
  const std::string where = fmt::format("{}.values[{}]", axis.field, value_index);
  if (!is_serve_workload(point.request.workload)) {
    throw InputError(spec.file, axis.field + ".path",
                     "'" + axis.path + "' is a multi-chip plan option: it applies to serve points only");
  }
  std::string text;
  if (axis.path == "system") {
    if (!value.is_string() || value.get<std::string>().empty() ||
        value.get<std::string>().find_first_of(" \t\n\r") != std::string::npos) {
      throw InputError(spec.file, where, "expected a system preset or file without whitespace, got " + describe_json(value));
    }
    text = value.get<std::string>();
  } else {
    if (!value.is_number_unsigned() || value.get<uint64_t>() == 0 || value.get<uint64_t>() > 1024) {
      throw InputError(spec.file, where, "expected a degree from 1 to 1024, got " + describe_json(value));
    }
    text = std::to_string(value.get<uint64_t>());
  }
  point.request.workload += " --" + axis.path + " " + text;
}

// One axis value on a point: a run option (batch, dtype), a plan option or a config override.
void apply_axis_value(const SweepSpec& spec, const SweepAxis& axis, size_t value_index, SweepPoint& point) {
  const nlohmann::json& value = axis.values[value_index];
  point.axes[axis.path] = value;
  if (axis.path == "batch") {
    if (!value.is_number_unsigned() || value.get<uint64_t>() == 0 || value.get<uint64_t>() > 1000000) {
      throw InputError(spec.file, fmt::format("{}.values[{}]", axis.field, value_index),
                       "expected a batch size from 1 to 1000000, got " + describe_json(value));
    }
    point.request.batch = value.get<uint32_t>();
  } else if (axis.path == "dtype") {
    if (!value.is_string() || !parse_dtype(value.get<std::string>())) {
      throw InputError(spec.file, fmt::format("{}.values[{}]", axis.field, value_index),
                       describe_json(value) + " is not one of: " + known_dtype_names());
    }
    point.request.dtype = value.get<std::string>();
  } else if (is_plan_axis(axis.path)) {
    apply_plan_axis(spec, axis, value_index, point);
  } else {
    point.request.overrides.push_back(override_text(axis, value));
  }
}

SweepPoint make_point(const SweepSpec& spec, const std::string& workload, const std::vector<size_t>& choice,
                      bool pass_gpu) {
  SweepPoint point;
  point.request.npu = spec.npu;
  point.request.overrides = spec.fixed;
  point.request.workload = workload;
  point.request.batch = spec.batch;
  point.request.dtype = spec.dtype;
  if (pass_gpu) point.request.gpu = spec.gpu;
  point.axes["workload"] = workload;
  for (size_t g = 0; g < spec.groups.size(); ++g) {
    for (const auto& axis : spec.groups[g].axes) apply_axis_value(spec, axis, choice[g], point);
  }
  return point;
}

nlohmann::json resolve_for_spec(const ConfigDocument& base, const SweepPoint& point, const SweepSpec& spec,
                                const std::vector<size_t>& choice) {
  try {
    ConfigDocument document = base;
    for (const auto& assignment : point.request.overrides) apply_override(document, "npu", assignment);
    return npu_config_to_json(parse_npu_config(document.document, document.file));
  } catch (const InputError& error) {
    rethrow_for_spec(error, spec, choice);
  }
}

// Stops at the first constraint a point fails (later ones are not evaluated for it).
bool satisfies_all(const SweepSpec& spec, const nlohmann::json& resolved) {
  for (const auto& constraint : spec.constraints) {
    if (!satisfies(constraint, constraint_subject(constraint, resolved, spec.file))) return false;
  }
  return true;
}

}  // namespace

const nlohmann::json* config_field(const nlohmann::json& resolved_config, const std::string& path) {
  return path.rfind("npu.", 0) == 0 ? lookup_config(resolved_config, path) : nullptr;
}


nlohmann::json resolve_point_config(const PointRequest& request) {
  ConfigDocument document = load_config_document(request.npu, "npu");
  for (const auto& assignment : request.overrides) apply_override(document, "npu", assignment);
  return npu_config_to_json(parse_npu_config(document.document, document.file));
}

std::string point_id(const nlohmann::json& resolved_config, const PointRequest& request) {
  nlohmann::json key;  // nlohmann::json sorts keys, so the dump is canonical
  key["npu"] = resolved_config;
  key["workload"] = request.workload;
  key["batch"] = request.batch;
  key["dtype"] = request.dtype;
  if (!request.gpu.empty()) key["gpu"] = request.gpu;
  uint64_t hash = 14695981039346656037ull;  // FNV-1a 64
  for (const unsigned char c : key.dump()) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return fmt::format("{:016x}", hash);
}

SweepExpansion expand_sweep(const SweepSpec& spec, bool pass_gpu) {
  const size_t product = point_count(spec);
  check_workloads(spec);
  const ConfigDocument base = load_base_config(spec);
  SweepExpansion expansion;
  std::map<std::string, size_t> first_with_id;
  std::vector<size_t> choice(spec.groups.size(), 0);
  for (size_t n = 0; n < product; ++n) {
    const size_t workload = decode_point(spec, n, choice);
    SweepPoint point = make_point(spec, spec.workloads[workload], choice, pass_gpu);
    const nlohmann::json resolved = resolve_for_spec(base, point, spec, choice);
    if (!satisfies_all(spec, resolved)) {
      ++expansion.filtered;
      continue;
    }
    point.id = point_id(resolved, point.request);
    // Two points that resolve to the same settings would share an id and one result.
    const auto [previous, inserted] = first_with_id.emplace(point.id, expansion.points.size());
    if (!inserted) {
      throw InputError(spec.file, "axes",
                       fmt::format("points {} and {} resolve to the same settings (a repeated value?)",
                                   previous->second, expansion.points.size()));
    }
    point.index = expansion.points.size();
    expansion.points.push_back(std::move(point));
  }
  if (expansion.points.empty()) {
    throw InputError(spec.file, "constraints",
                     fmt::format("all {} points are filtered out; nothing to run", expansion.filtered));
  }
  return expansion;
}

}  // namespace npusim
