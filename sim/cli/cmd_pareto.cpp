// `npusim pareto DIR --x METRIC --y METRIC`: the Pareto front of a sweep's results (per workload),
// written to DIR/pareto.csv, and the best point for every metric that varies.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>
#include <map>
#include <set>

#include "sim/cli/commands.h"
#include "sim/cli/option_parsing.h"
#include "sim/io/atomic_file.h"
#include "sim/io/config_loader.h"
#include "arch/spec/input_error.h"
#include "sim/sweep/pareto.h"
#include "sim/sweep/results_store.h"

namespace npusim {
namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

struct Row {
  const nlohmann::ordered_json* line = nullptr;
  std::string workload;
};

// A numeric value of a row: a metric, or an axis (so a swept config field can be an axis of the plot).
bool value_of(const nlohmann::ordered_json& line, const std::string& name, double& out) {
  for (const char* section : {"metrics", "axes"}) {
    const auto it = line.find(section);
    if (it == line.end()) continue;
    const auto value = it->find(name);
    if (value != it->end() && value->is_number()) {
      out = value->get<double>();
      return true;
    }
  }
  return false;
}

std::string axes_text(const nlohmann::ordered_json& axes) {
  std::string text;
  for (const auto& item : axes.items()) {
    if (item.key() == "workload") continue;
    text += (text.empty() ? "" : " ") + item.key() + "=" +
            (item.value().is_string() ? item.value().get<std::string>() : item.value().dump());
  }
  return text;
}

std::string number_text(double value) { return fmt::format("{:.6g}", value); }

}  // namespace

int cmd_pareto(const Args& args) {
  std::string dir, x_name, y_name, workload_filter;
  bool minimize_x = false, maximize_x = false, minimize_y = false, maximize_y = false;
  po::options_description described("Options");
  described.add_options()("dir", po::value(&dir)->required(),
                          "sweep results folder (npusim sweep --out DIR)")(
      "x", po::value(&x_name)->required(), "metric (or numeric axis) on x, e.g. cycles")(
      "y", po::value(&y_name)->required(),
      "metric (or numeric axis) on y, e.g. energy_j or npu.sram.capacity_bytes")(
      "minimize-x", po::bool_switch(&minimize_x), "smaller x is better (default)")(
      "maximize-x", po::bool_switch(&maximize_x), "larger x is better")(
      "minimize-y", po::bool_switch(&minimize_y), "smaller y is better (default)")(
      "maximize-y", po::bool_switch(&maximize_y), "larger y is better")(
      "workload", po::value(&workload_filter), "only this workload (default: one front per workload)");
  po::positional_options_description positional;
  positional.add("dir", 1);
  po::variables_map values;
  if (!parse_options(
          args, described, positional, values,
          "usage: npusim pareto DIR --x METRIC --y METRIC [--maximize-x] [--maximize-y] [--workload W]")) {
    return 0;
  }
  if (minimize_x && maximize_x) throw InputError("<cli>", "--maximize-x", "conflicts with --minimize-x");
  if (minimize_y && maximize_y) throw InputError("<cli>", "--maximize-y", "conflicts with --minimize-y");
  const ParetoGoal goal{!maximize_x, !maximize_y};

  if (!fs::is_directory(dir)) throw InputError(dir, "", "not a sweep results folder");
  const ResultSet results = read_results(dir);
  // sweep.json lists the points of the spec last run here; older results in the folder are left out.
  std::set<std::string> current;
  std::vector<std::string> axis_names;
  if (fs::exists(dir + "/sweep.json")) {
    const nlohmann::json manifest = load_json_file(dir + "/sweep.json");
    for (const auto& id : manifest.value("points", nlohmann::json::array()))
      current.insert(id.get<std::string>());
    for (const auto& name : manifest.value("axes", nlohmann::json::array()))
      axis_names.push_back(name.get<std::string>());
  }
  std::map<std::string, std::vector<Row>> groups;  // by workload
  std::set<std::string> metric_names;
  for (const auto& [id, line] : results.by_id) {
    if (!current.empty() && current.count(id) == 0) continue;
    if (line["status"] != "ok") continue;
    const nlohmann::ordered_json axes = line.value("axes", nlohmann::ordered_json::object());
    const std::string workload = axes.value("workload", std::string());
    if (!workload_filter.empty() && workload != workload_filter) continue;
    groups[workload].push_back({&line, workload});
    const nlohmann::ordered_json metrics = line.value("metrics", nlohmann::ordered_json::object());
    for (const auto& item : metrics.items()) {
      if (item.value().is_number()) metric_names.insert(item.key());
    }
  }
  if (groups.empty()) {
    throw InputError(dir + "/results.jsonl", workload_filter.empty() ? "" : "--workload " + workload_filter,
                     "no successful points to compare");
  }
  for (const auto& name : {x_name, y_name}) {
    double probe = 0;
    if (!value_of(*groups.begin()->second.front().line, name, probe)) {
      std::string known;
      for (const auto& metric : metric_names) known += (known.empty() ? "" : ", ") + metric;
      throw InputError("<cli>", name == x_name ? "--x" : "--y",
                       "'" + name + "' is neither a metric nor a numeric axis; metrics: " + known);
    }
  }

  std::string csv = "id,workload";
  if (axis_names.empty()) {
    const nlohmann::ordered_json axes =
        groups.begin()->second.front().line->value("axes", nlohmann::ordered_json::object());
    for (const auto& item : axes.items()) {
      if (item.key() != "workload") axis_names.push_back(item.key());
    }
  }
  for (const auto& name : axis_names) {
    if (name != "workload") csv += "," + csv_cell_text(name);
  }
  csv += "," + csv_cell_text(x_name) + "," + csv_cell_text(y_name) + "\n";

  for (const auto& [workload, rows] : groups) {
    std::vector<std::pair<double, double>> xy;
    std::vector<const Row*> usable;
    for (const auto& row : rows) {
      double x = 0, y = 0;
      if (value_of(*row.line, x_name, x) && value_of(*row.line, y_name, y)) {
        xy.emplace_back(x, y);
        usable.push_back(&row);
      }
    }
    const std::vector<size_t> front = pareto_front(xy, goal);
    std::cout << fmt::format("Pareto front for {}: {} of {} points ({} {}, {} {})\n", workload, front.size(),
                             usable.size(), goal.minimize_x ? "min" : "max", x_name,
                             goal.minimize_y ? "min" : "max", y_name);
    std::cout << fmt::format("  {:<16} {:>14} {:>14}  {}\n", "id", x_name, y_name, "axes");
    for (const size_t i : front) {
      const nlohmann::ordered_json& line = *usable[i]->line;
      std::cout << fmt::format("  {:<16} {:>14} {:>14}  {}\n", line["id"].get<std::string>(),
                               number_text(xy[i].first), number_text(xy[i].second), axes_text(line["axes"]));
      std::string row = line["id"].get<std::string>() + "," + csv_cell_text(workload);
      for (const auto& name : axis_names) {
        if (name != "workload")
          row += "," + csv_cell_text(line["axes"].value(name, nlohmann::ordered_json()));
      }
      csv +=
          row + "," +
          csv_cell_text(line["metrics"].value(x_name, line["axes"].value(x_name, nlohmann::ordered_json()))) +
          "," +
          csv_cell_text(line["metrics"].value(y_name, line["axes"].value(y_name, nlohmann::ordered_json()))) +
          "\n";
    }
    // The best point for every metric that varies across this workload's points.
    std::cout << fmt::format("Best per metric for {}:\n", workload);
    for (const auto& metric : metric_names) {
      const Row* best = nullptr;
      double best_value = 0, worst_value = 0;
      const bool higher = higher_is_better(metric);
      for (const auto& row : rows) {
        double value = 0;
        if (!value_of(*row.line, metric, value)) continue;
        if (best == nullptr || (higher ? value > best_value : value < best_value)) {
          if (best == nullptr) worst_value = value;
          best = &row;
          best_value = value;
        }
        worst_value = higher ? std::min(worst_value, value) : std::max(worst_value, value);
      }
      if (best == nullptr || best_value == worst_value) continue;
      std::cout << fmt::format("  {:<36} {:>8} {:>14}  {}  {}\n", metric, higher ? "highest" : "lowest",
                               number_text(best_value), (*best->line)["id"].get<std::string>(),
                               axes_text((*best->line)["axes"]));
    }
  }
  write_file_atomically(dir + "/pareto.csv", csv);
  std::cout << "wrote " << dir << "/pareto.csv\n";
  return 0;
}

}  // namespace npusim
