// Sweep spec files: parsing and validating axes, workloads and constraints into a SweepSpec.
#include "sim/sweep/sweep_spec.h"

#include <fmt/format.h>

#include <filesystem>

#include "sim/io/config_loader.h"
#include "arch/spec/dtype.h"
#include "arch/spec/input_error.h"
#include "arch/spec/json_reader.h"
#include "sim/io/json_fields.h"
#include "sim/sweep/serve_point.h"

namespace npusim {
namespace fs = std::filesystem;

namespace {

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

const nlohmann::json& require(const nlohmann::json& object, const char* key, const std::string& file,
                              const std::string& field) {
  const auto it = object.find(key);
  if (it == object.end()) throw InputError(file, join_field_path(field, key), "missing (required)");
  return *it;
}

bool is_run_option_axis(const std::string& path) {
  return path == "batch" || path == "dtype" || is_plan_axis(path);
}

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
                     "'" + axis.path + "' is neither a config path starting with 'npu.' nor batch, dtype, tp, pp, ep, dp or system");
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

// "gemm:m=64,n=64,k=64", {"name": "gemm", "params": {"m": 64, "n": 64, "k": 64}} or a serve point
// {"serve": {"model": ..., ...}} (sim/sweep/serve_point.h).
std::string parse_workload(const nlohmann::json& json, const std::string& file, const std::string& field) {
  if (json.is_object() && json.contains("serve")) {
    reject_unknown(json, file, field, {"serve"});
    return parse_serve_point(json.at("serve"), file, field + ".serve",
                             [&](const std::string& name) { return beside_spec(name, file); });
  }
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


// The run settings: name, npu, set, batch, dtype, gpu.
void parse_run_settings(const nlohmann::json& document, const std::string& file, SweepSpec& spec) {
  ObjectReader reader(document, file, "");
  spec.name = fs::path(file).stem().string();
  reader.read("name", spec.name);
  // The name becomes sweeps/<name>: it must stay one plain folder name inside sweeps/.
  const bool plain = !spec.name.empty() && spec.name.size() <= 100 && spec.name.front() != '.' &&
                     spec.name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
                         std::string::npos;
  if (!plain) {
    throw InputError(file, "name",
                     "expected 1 to 100 of letters, digits, '.', '_' and '-', not starting with '.', got '" + spec.name + "'");
  }
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
}

std::vector<AxisGroup> parse_axes(const nlohmann::json& document, const std::string& file) {
  const nlohmann::json& axes = require(document, "axes", file, "");
  if (!axes.is_array()) throw InputError(file, "axes", "expected a list of axes, got " + describe_json(axes));
  if (axes.empty()) throw InputError(file, "axes", "expected at least one axis");
  std::vector<AxisGroup> groups;
  for (size_t i = 0; i < axes.size(); ++i) groups.push_back(parse_group(axes[i], file, fmt::format("axes[{}]", i)));
  return groups;
}

std::vector<std::string> parse_workloads(const nlohmann::json& document, const std::string& file) {
  const nlohmann::json& workloads = require(document, "workloads", file, "");
  if (!workloads.is_array() || workloads.empty()) {
    throw InputError(file, "workloads",
                     "expected a non-empty list of workloads, got " + describe_json(workloads));
  }
  std::vector<std::string> specs;
  for (size_t i = 0; i < workloads.size(); ++i) {
    specs.push_back(parse_workload(workloads[i], file, fmt::format("workloads[{}]", i)));
  }
  return specs;
}

std::vector<SweepConstraint> parse_constraints(const nlohmann::json& document, const std::string& file) {
  std::vector<SweepConstraint> parsed;
  const auto constraints = document.find("constraints");
  if (constraints == document.end()) return parsed;
  if (!constraints->is_array()) {
    throw InputError(file, "constraints", "expected a list of constraints, got " + describe_json(*constraints));
  }
  for (size_t i = 0; i < constraints->size(); ++i) {
    parsed.push_back(parse_constraint((*constraints)[i], file, fmt::format("constraints[{}]", i)));
  }
  return parsed;
}

// Each path may appear on one axis only: two would fight over the same field.
void check_axes_distinct(const SweepSpec& spec) {
  std::vector<std::string> seen;
  for (const auto& group : spec.groups) {
    for (const auto& axis : group.axes) {
      for (const auto& other : seen) {
        if (other == axis.path)
          throw InputError(spec.file, axis.field + ".path", "'" + axis.path + "' is swept twice");
      }
      seen.push_back(axis.path);
    }
  }
}

}  // namespace

SweepSpec load_sweep_spec(const std::string& path) { return parse_sweep_spec(load_json_file(path), path); }

SweepSpec parse_sweep_spec(const nlohmann::json& document, const std::string& file) {
  if (!document.is_object()) throw InputError(file, "<root>", "expected a JSON object");
  reject_unknown(
      document, file, "",
      {"name", "description", "npu", "set", "axes", "workloads", "batch", "dtype", "gpu", "constraints"});
  SweepSpec spec;
  spec.file = file;
  parse_run_settings(document, file, spec);
  spec.groups = parse_axes(document, file);
  spec.workloads = parse_workloads(document, file);
  spec.constraints = parse_constraints(document, file);
  check_axes_distinct(spec);
  return spec;
}

std::vector<std::string> axis_columns(const SweepSpec& spec) {
  std::vector<std::string> columns{"workload"};
  for (const auto& group : spec.groups) {
    for (const auto& axis : group.axes) columns.push_back(axis.path);
  }
  return columns;
}

}  // namespace npusim
