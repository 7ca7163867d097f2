#include "sim/sweep/sweep_spec.h"

#include <fmt/format.h>

#include <filesystem>
#include <initializer_list>
#include <map>

#include "sim/io/config_loader.h"
#include "arch/spec/dtype.h"
#include "arch/spec/input_error.h"
#include "arch/spec/json_reader.h"
#include "arch/spec/npu_config_parse.h"
#include "sim/run/workload_loader.h"

namespace npusim {
namespace fs = std::filesystem;

namespace {

constexpr size_t kMaxPoints = 1000000;

std::string join_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A relative file named in the spec is looked up beside the spec first (then the working directory).
std::string beside_spec(const std::string& name, const std::string& spec_file) {
  if (name.empty() || fs::path(name).is_absolute()) return name;
  const bool is_file = name.find('/') != std::string::npos || ends_with(name, ".json") ||
                       ends_with(name, ".cfg") || ends_with(name, ".csv") || ends_with(name, ".onnx");
  if (!is_file) return name;
  const fs::path beside = fs::path(spec_file).parent_path() / name;
  return fs::exists(beside) ? fs::absolute(beside).lexically_normal().string() : name;
}

// ObjectReader covers scalar fields; lists of objects are walked here, so unknown keys are checked
// against an explicit list instead of ObjectReader::finish().
void reject_unknown(const nlohmann::json& object, const std::string& file, const std::string& field,
                    std::initializer_list<const char*> known) {
  if (!object.is_object()) throw InputError(file, field, "expected an object, got " + describe_json(object));
  for (const auto& item : object.items()) {
    bool found = false;
    for (const char* key : known) found = found || item.key() == key;
    if (!found) throw InputError(file, join_path(field, item.key()), "unknown field");
  }
}

const nlohmann::json& require(const nlohmann::json& object, const char* key, const std::string& file,
                              const std::string& field) {
  const auto it = object.find(key);
  if (it == object.end()) throw InputError(file, join_path(field, key), "missing (required)");
  return *it;
}

bool is_run_option_axis(const std::string& path) { return path == "batch" || path == "dtype"; }

SweepAxis parse_axis(const nlohmann::json& json, const std::string& file, const std::string& field) {
  reject_unknown(json, file, field, {"path", "values"});
  SweepAxis axis;
  axis.field = field;
  const nlohmann::json& path = require(json, "path", file, field);
  if (!path.is_string())
    throw InputError(file, field + ".path", "expected a string, got " + describe_json(path));
  axis.path = path.get<std::string>();
  if (axis.path.rfind("npu.", 0) != 0 && !is_run_option_axis(axis.path)) {
    throw InputError(file, field + ".path",
                     "'" + axis.path + "' is neither a config path starting with 'npu.' nor batch or dtype");
  }
  const nlohmann::json& values = require(json, "values", file, field);
  if (!values.is_array()) {
    throw InputError(file, field + ".values", "expected a list of values, got " + describe_json(values));
  }
  if (values.empty()) {
    throw InputError(file, field + ".values",
                     "expected at least one value (an empty axis empties the sweep)");
  }
  for (size_t i = 0; i < values.size(); ++i) {
    const auto& value = values[i];
    if (!(value.is_number() || value.is_string() || value.is_boolean())) {
      throw InputError(file, fmt::format("{}.values[{}]", field, i),
                       "expected a number, string or boolean, got " + describe_json(value));
    }
    axis.values.push_back(value);
  }
  return axis;
}

AxisGroup parse_group(const nlohmann::json& json, const std::string& file, const std::string& field) {
  AxisGroup group;
  if (!(json.is_object() && json.contains("zip"))) {
    group.axes.push_back(parse_axis(json, file, field));
    return group;
  }
  reject_unknown(json, file, field, {"zip"});
  const nlohmann::json& zipped = json.at("zip");
  if (!zipped.is_array() || zipped.empty()) {
    throw InputError(file, field + ".zip", "expected a non-empty list of axes, got " + describe_json(zipped));
  }
  for (size_t i = 0; i < zipped.size(); ++i) {
    group.axes.push_back(parse_axis(zipped[i], file, fmt::format("{}.zip[{}]", field, i)));
    if (group.axes.back().values.size() != group.axes.front().values.size()) {
      throw InputError(file, group.axes.back().field + ".values",
                       fmt::format("zipped axes need equal lengths: {} values here, {} in {}",
                                   group.axes.back().values.size(), group.axes.front().values.size(),
                                   group.axes.front().field));
    }
  }
  return group;
}

// "gemm:m=64,n=64,k=64" or {"name": "gemm", "params": {"m": 64, "n": 64, "k": 64}}.
std::string parse_workload(const nlohmann::json& json, const std::string& file, const std::string& field) {
  if (json.is_string()) {
    if (json.get<std::string>().empty()) throw InputError(file, field, "expected a workload name");
    return beside_spec(json.get<std::string>(), file);
  }
  reject_unknown(json, file, field, {"name", "params"});
  const nlohmann::json& name = require(json, "name", file, field);
  if (!name.is_string() || name.get<std::string>().empty()) {
    throw InputError(file, field + ".name", "expected a workload name, got " + describe_json(name));
  }
  std::string spec = name.get<std::string>();
  const auto params = json.find("params");
  if (params == json.end()) return beside_spec(spec, file);
  if (!params->is_object()) {
    throw InputError(file, field + ".params",
                     "expected an object of parameters, got " + describe_json(*params));
  }
  std::string joined;
  for (const auto& item : params->items()) {
    const auto& value = item.value();
    if (!(value.is_number() || value.is_string() || value.is_boolean())) {
      throw InputError(file, field + ".params." + item.key(),
                       "expected a number, string or boolean, got " + describe_json(value));
    }
    joined += (joined.empty() ? "" : ",") + item.key() + "=" +
              (value.is_string() ? value.get<std::string>() : value.dump());
  }
  return joined.empty() ? spec : spec + ":" + joined;
}

SweepConstraint parse_constraint(const nlohmann::json& json, const std::string& file,
                                 const std::string& field) {
  reject_unknown(json, file, field, {"path", "derived", "min", "max"});
  ObjectReader reader(json, file, field);
  SweepConstraint constraint;
  constraint.field = field;
  reader.read("path", constraint.path);
  const int derived = reader.read_choice("derived", {"macs", "total_sram_bytes"});
  if (derived >= 0) constraint.derived = derived == 0 ? "macs" : "total_sram_bytes";
  if (constraint.path.empty() == constraint.derived.empty()) {
    throw InputError(file, field, "expected exactly one of 'path' (a resolved config field) or 'derived'");
  }
  if (!constraint.path.empty() && constraint.path.rfind("npu.", 0) != 0) {
    reader.fail("path", "'" + constraint.path + "' is not a config path starting with 'npu.'");
  }
  double bound = 0;
  if (reader.has("min")) {
    reader.read("min", bound);
    constraint.min = bound;
  }
  if (reader.has("max")) {
    reader.read("max", bound);
    constraint.max = bound;
  }
  if (!constraint.min && !constraint.max) throw InputError(file, field, "expected 'min', 'max' or both");
  return constraint;
}

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
    return number_at(config, "npu.array.rows", file, constraint.field) *
           number_at(config, "npu.array.cols", file, constraint.field) * cores;
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

}  // namespace

const nlohmann::json* config_field(const nlohmann::json& resolved_config, const std::string& path) {
  return path.rfind("npu.", 0) == 0 ? lookup_config(resolved_config, path) : nullptr;
}

SweepSpec load_sweep_spec(const std::string& path) { return parse_sweep_spec(load_json_file(path), path); }

SweepSpec parse_sweep_spec(const nlohmann::json& document, const std::string& file) {
  if (!document.is_object()) throw InputError(file, "<root>", "expected a JSON object");
  reject_unknown(
      document, file, "",
      {"name", "description", "npu", "set", "axes", "workloads", "batch", "dtype", "gpu", "constraints"});
  ObjectReader reader(document, file, "");
  SweepSpec spec;
  spec.file = file;
  spec.name = fs::path(file).stem().string();
  reader.read("name", spec.name);
  std::string description;
  reader.read("description", description);
  if (!reader.has("npu")) throw InputError(file, "npu", "missing (required): a preset name or config file");
  reader.read("npu", spec.npu);
  spec.npu = beside_spec(spec.npu, file);
  spec.fixed = reader.read_string_list("set");
  for (size_t i = 0; i < spec.fixed.size(); ++i) {
    if (spec.fixed[i].rfind("npu.", 0) != 0 || spec.fixed[i].find('=') == std::string::npos) {
      throw InputError(file, fmt::format("set[{}]", i),
                       "expected npu.dotted.path=value, got '" + spec.fixed[i] + "'");
    }
  }
  reader.read_positive("batch", spec.batch);
  reader.read("dtype", spec.dtype);
  if (!spec.dtype.empty() && !parse_dtype(spec.dtype)) {
    reader.fail("dtype", "'" + spec.dtype + "' is not one of: " + known_dtype_names());
  }
  reader.read("gpu", spec.gpu);

  const nlohmann::json& axes = require(document, "axes", file, "");
  if (!axes.is_array()) throw InputError(file, "axes", "expected a list of axes, got " + describe_json(axes));
  if (axes.empty()) throw InputError(file, "axes", "expected at least one axis");
  for (size_t i = 0; i < axes.size(); ++i)
    spec.groups.push_back(parse_group(axes[i], file, fmt::format("axes[{}]", i)));

  const nlohmann::json& workloads = require(document, "workloads", file, "");
  if (!workloads.is_array() || workloads.empty()) {
    throw InputError(file, "workloads",
                     "expected a non-empty list of workloads, got " + describe_json(workloads));
  }
  for (size_t i = 0; i < workloads.size(); ++i) {
    spec.workloads.push_back(parse_workload(workloads[i], file, fmt::format("workloads[{}]", i)));
  }
  const auto constraints = document.find("constraints");
  if (constraints != document.end()) {
    if (!constraints->is_array()) {
      throw InputError(file, "constraints",
                       "expected a list of constraints, got " + describe_json(*constraints));
    }
    for (size_t i = 0; i < constraints->size(); ++i) {
      spec.constraints.push_back(
          parse_constraint((*constraints)[i], file, fmt::format("constraints[{}]", i)));
    }
  }
  // Each path may appear on one axis only: two would fight over the same field.
  std::vector<std::string> seen;
  for (const auto& group : spec.groups) {
    for (const auto& axis : group.axes) {
      for (const auto& other : seen) {
        if (other == axis.path)
          throw InputError(file, axis.field + ".path", "'" + axis.path + "' is swept twice");
      }
      seen.push_back(axis.path);
    }
  }
  return spec;
}

std::vector<std::string> axis_columns(const SweepSpec& spec) {
  std::vector<std::string> columns{"workload"};
  for (const auto& group : spec.groups) {
    for (const auto& axis : group.axes) columns.push_back(axis.path);
  }
  return columns;
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
  size_t product = spec.workloads.size();
  for (const auto& group : spec.groups) {
    product *= group.size();
    if (product > kMaxPoints)
      throw InputError(spec.file, "axes", fmt::format("more than {} points", kMaxPoints));
  }
  // Workloads are checked once here rather than failing in every worker.
  const DType default_dtype = spec.dtype.empty() ? DType::kInt8 : *parse_dtype(spec.dtype);
  for (size_t i = 0; i < spec.workloads.size(); ++i) {
    try {
      (void)load_workload(WorkloadRequest{spec.workloads[i], spec.batch, std::nullopt}, default_dtype);
    } catch (const InputError& error) {
      throw InputError(spec.file, fmt::format("workloads[{}]", i), nested_message(error));
    }
  }
  ConfigDocument base;
  try {
    base = load_config_document(spec.npu, "npu");
  } catch (const InputError& error) {
    throw InputError(spec.file, "npu", nested_message(error));
  }

  SweepExpansion expansion;
  std::map<std::string, size_t> first_with_id;
  std::vector<size_t> choice(spec.groups.size(), 0);
  for (size_t n = 0; n < product; ++n) {
    // Mixed-radix counter, last group fastest; the workload is the slowest-moving column.
    size_t rest = n;
    for (size_t g = spec.groups.size(); g-- > 0;) {
      choice[g] = rest % spec.groups[g].size();
      rest /= spec.groups[g].size();
    }
    const std::string& workload = spec.workloads[rest];
    SweepPoint point;
    point.request.npu = spec.npu;
    point.request.overrides = spec.fixed;
    point.request.workload = workload;
    point.request.batch = spec.batch;
    point.request.dtype = spec.dtype;
    if (pass_gpu) point.request.gpu = spec.gpu;
    point.axes["workload"] = workload;
    for (size_t g = 0; g < spec.groups.size(); ++g) {
      for (const auto& axis : spec.groups[g].axes) {
        const nlohmann::json& value = axis.values[choice[g]];
        point.axes[axis.path] = value;
        if (axis.path == "batch") {
          if (!value.is_number_unsigned() || value.get<uint64_t>() == 0 || value.get<uint64_t>() > 1000000) {
            throw InputError(spec.file, fmt::format("{}.values[{}]", axis.field, choice[g]),
                             "expected a batch size from 1 to 1000000, got " + describe_json(value));
          }
          point.request.batch = value.get<uint32_t>();
        } else if (axis.path == "dtype") {
          if (!value.is_string() || !parse_dtype(value.get<std::string>())) {
            throw InputError(spec.file, fmt::format("{}.values[{}]", axis.field, choice[g]),
                             describe_json(value) + " is not one of: " + known_dtype_names());
          }
          point.request.dtype = value.get<std::string>();
        } else {
          point.request.overrides.push_back(override_text(axis, value));
        }
      }
    }
    nlohmann::json resolved;
    try {
      ConfigDocument document = base;
      for (const auto& assignment : point.request.overrides) apply_override(document, "npu", assignment);
      resolved = npu_config_to_json(parse_npu_config(document.document, document.file));
    } catch (const InputError& error) {
      rethrow_for_spec(error, spec, choice);
    }
    bool keep = true;
    for (const auto& constraint : spec.constraints) {
      keep = keep && satisfies(constraint, constraint_subject(constraint, resolved, spec.file));
    }
    if (!keep) {
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
