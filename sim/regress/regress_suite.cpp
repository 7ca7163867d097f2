#include "sim/regress/regress_suite.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <set>

#include "sim/io/config_loader.h"
#include "arch/spec/input_error.h"
#include "arch/spec/json_reader.h"
#include "arch/spec/json_text.h"
#include "sim/io/json_fields.h"
#include "sim/io/text_file.h"
#include "sim/sweep/serve_point.h"
#include "sim/sweep/sweep_expansion.h"

namespace npusim {
namespace fs = std::filesystem;

namespace {

constexpr double kMaxTolerance = 0.1;

bool valid_name(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
  }
  return name.front() != '.';
}

std::string value_text(const nlohmann::ordered_json& value) {
  if (value.is_null()) return "-";
  if (value.is_number_float()) return fmt::format("{:.10g}", value.get<double>());
  return value.is_string() ? value.get<std::string>() : value.dump();
}

bool same_value(const nlohmann::ordered_json& golden, const nlohmann::ordered_json& current,
                double tolerance) {
  if (golden.is_number_integer() && current.is_number_integer())
    return golden == current;  // cycles, bytes: exact
  if (golden.is_number() && current.is_number()) {
    const double a = golden.get<double>();
    const double b = current.get<double>();
    return std::fabs(a - b) <= tolerance * std::max(std::fabs(a), std::fabs(b));
  }
  return golden == current;
}

}  // namespace

RegressionSuite load_regression_suite(const std::string& path) {
  const nlohmann::json document = load_json_file(path);
  reject_unknown(document, path, "", {"description", "relative_tolerance", "points"});
  RegressionSuite suite;
  suite.file = path;
  ObjectReader reader(document, path, "");
  reader.read_non_negative("relative_tolerance", suite.relative_tolerance);
  if (suite.relative_tolerance > kMaxTolerance) {
    reader.fail("relative_tolerance", fmt::format("expected at most {}", kMaxTolerance));
  }
  const auto points = document.find("points");
  if (points == document.end() || !points->is_array() || points->empty()) {
    throw InputError(path, "points", "expected a non-empty list of points");
  }
  std::set<std::string> names;
  for (size_t i = 0; i < points->size(); ++i) {
    const std::string field = fmt::format("points[{}]", i);
    const nlohmann::json& entry = (*points)[i];
    reject_unknown(entry, path, field, {"name", "npu", "set", "workload", "serve", "batch", "dtype", "gpu"});
    ObjectReader point_reader(entry, path, field);
    SuitePoint point;
    point_reader.read("name", point.name);
    if (!valid_name(point.name)) point_reader.fail("name", "expected a file-name-safe name ([A-Za-z0-9._-])");
    if (!names.insert(point.name).second) point_reader.fail("name", "'" + point.name + "' is used twice");
    point_reader.read("npu", point.request.npu);
    point_reader.read("workload", point.request.workload);
    if (entry.contains("serve")) {
      if (!point.request.workload.empty()) point_reader.fail("serve", "expected either workload or serve, not both");
      point.request.workload =
          parse_serve_point(entry.at("serve"), path, field + ".serve", [](const std::string& name) { return name; });
    }
    if (point.request.npu.empty()) point_reader.fail("npu", "missing (required)");
    if (point.request.workload.empty()) point_reader.fail("workload", "missing (required): a workload or a serve point");
    point.request.overrides = point_reader.read_string_list("set");
    point_reader.read_positive("batch", point.request.batch);
    point_reader.read("dtype", point.request.dtype);
    point_reader.read("gpu", point.request.gpu);
    for (const auto& item : entry.items()) {
      if (item.key() != "name") point.definition[item.key()] = item.value();
    }
    suite.points.push_back(std::move(point));
  }
  return suite;
}

void perturb_suite(RegressionSuite& suite, const std::vector<std::string>& sets,
                   const std::vector<std::string>& scales) {
  for (auto& point : suite.points) {
    for (const auto& assignment : sets) point.request.overrides.push_back(assignment);
    for (const auto& scale : scales) {
      const size_t equals = scale.find('=');
      double factor = 0;
      try {
        factor = equals == std::string::npos ? 0.0 : std::stod(scale.substr(equals + 1));
      } catch (const std::exception&) {
      }
      if (!(factor > 0))
        throw InputError("<cli>", "--scale", "expected npu.path=FACTOR (FACTOR > 0), got '" + scale + "'");
      const std::string path = scale.substr(0, equals);
      const nlohmann::json resolved = resolve_point_config(point.request);
      const nlohmann::json* value = config_field(resolved, path);
      if (value == nullptr || !value->is_number()) {
        throw InputError("<cli>", "--scale " + path, "not a numeric field of " + point.name + "'s config");
      }
      std::string text;
      if (value->is_number_integer()) {
        const auto old_value = value->get<int64_t>();
        auto scaled = static_cast<int64_t>(std::llround(static_cast<double>(old_value) * factor));
        if (scaled == old_value && factor != 1.0) scaled += factor > 1.0 ? 1 : -1;
        text = std::to_string(scaled);
      } else {
        text = fmt::format("{:.17g}", value->get<double>() * factor);
      }
      point.request.overrides.push_back(path + "=" + text);
    }
  }
}

void check_golden_dir(const RegressionSuite& suite, const std::string& golden_dir) {
  if (!fs::is_directory(golden_dir)) {
    throw InputError(golden_dir, "", "golden folder not found (create it with npusim regress --update)");
  }
  std::set<std::string> expected;
  for (const auto& point : suite.points) {
    const std::string file = golden_dir + "/" + point.name + ".json";
    expected.insert(point.name + ".json");
    if (!fs::exists(file)) {
      throw InputError(file, "",
                       "missing: suite " + suite.file + " has point '" + point.name +
                           "' but the golden folder does not match it (run npusim regress --update)");
    }
    const nlohmann::json golden = load_json_file(file);
    if (!golden.is_object() || !golden.contains("point") || !golden.contains("metrics") ||
        !golden["metrics"].is_object()) {
      throw InputError(file, "<root>", "expected a golden document with 'point' and 'metrics'");
    }
    if (golden["point"] != nlohmann::json(point.definition)) {
      throw InputError(file, "point",
                       "does not match suite entry '" + point.name + "' in " + suite.file +
                           " (run npusim regress --update)");
    }
  }
  for (const auto& entry : fs::directory_iterator(golden_dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".json" && expected.count(name) == 0) {
      throw InputError(entry.path().string(), "",
                       "not a point of suite " + suite.file + " (run npusim regress --update)");
    }
  }
}

nlohmann::ordered_json read_golden(const SuitePoint& point, const std::string& file, bool& found) {
  nlohmann::ordered_json golden =
      nlohmann::ordered_json{{"point", point.definition}, {"metrics", nlohmann::ordered_json::object()}};
  found = false;
  if (!fs::exists(file)) return golden;
  const std::string text = read_text_file(file).value_or("");
  try {
    // JSON as every input is held to (nesting depth, no repeated keys): a golden nested 30,000 levels
    // deep overflowed the stack of the comparison and the changes table (an input crafted for fuzz_golden).
    parse_json_text(text, file);
  } catch (const InputError&) {
    return golden;
  }
  const auto loaded = nlohmann::ordered_json::parse(text, nullptr, false);
  found = loaded.is_object() && loaded.contains("metrics") && loaded["metrics"].is_object();
  if (found) golden = loaded;
  return golden;
}

nlohmann::ordered_json golden_document(const SuitePoint& point, const nlohmann::ordered_json& result_line) {
  nlohmann::ordered_json golden;
  golden["point"] = point.definition;
  golden["metrics"] = result_line.value("metrics", nlohmann::ordered_json::object());
  return golden;
}

std::vector<MetricChange> compare_with_golden(const SuitePoint& point, const nlohmann::ordered_json& golden,
                                              const nlohmann::ordered_json& result_line,
                                              double relative_tolerance) {
  std::vector<MetricChange> changes;
  if (result_line.value("status", std::string()) != "ok") {
    changes.push_back({point.name, "status", "ok", result_line.value("error", std::string("no result"))});
    return changes;
  }
  const nlohmann::ordered_json& expected = golden["metrics"];
  const nlohmann::ordered_json& actual = result_line["metrics"];
  for (const auto& item : expected.items()) {
    const auto now = actual.find(item.key());
    if (now == actual.end()) {
      changes.push_back({point.name, item.key(), item.value(), nullptr});
    } else if (!same_value(item.value(), *now, relative_tolerance)) {
      changes.push_back({point.name, item.key(), item.value(), *now});
    }
  }
  for (const auto& item : actual.items()) {
    if (!expected.contains(item.key()))
      changes.push_back({point.name, item.key(), nullptr, item.value(), false});
  }
  return changes;
}

std::string changes_table(const std::vector<MetricChange>& changes) {
  std::string out =
      fmt::format("{:<28} {:<36} {:>18} {:>18} {:>10}\n", "point", "metric", "golden", "now", "change");
  for (const auto& change : changes) {
    std::string relative = change.regression ? "" : "new";
    if (change.golden.is_number() && change.current.is_number()) {
      const double a = change.golden.get<double>();
      const double b = change.current.get<double>();
      relative = a != 0 ? fmt::format("{:+.4f}%", 100.0 * (b - a) / std::fabs(a)) : "from 0";
    } else if (change.current.is_null()) {
      relative = "removed";
    }
    out += fmt::format("{:<28} {:<36} {:>18} {:>18} {:>10}\n", change.point, change.metric,
                       value_text(change.golden), value_text(change.current), relative);
  }
  return out;
}

}  // namespace npusim
