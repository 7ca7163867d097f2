#include "sim/sweep/pareto_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <set>
#include <vector>

#include "arch/spec/input_error.h"
#include "sim/io/atomic_file.h"
#include "sim/io/config_loader.h"
#include "sim/sweep/results_store.h"

namespace npusim {
namespace fs = std::filesystem;

namespace {

using Line = nlohmann::ordered_json;

// The successful result lines of a sweep folder, grouped by workload.
struct SweepRows {
  ResultSet results;  // owns the lines the groups point to
  std::map<std::string, std::vector<const Line*>> by_workload;  // meeting the constraints
  std::set<std::string> metric_names;   // every numeric metric of any line
  std::vector<std::string> axis_names;  // from DIR/sweep.json; empty for folders without one
  size_t points_considered = 0;         // successful points of the workload(s), before the constraints
};

std::string number_text(double value) { return fmt::format("{:.6g}", value); }

// sweep.json lists the points of the spec last run in DIR; older results in the folder are left out.
std::set<std::string> read_manifest(const std::string& dir, std::vector<std::string>& axis_names) {
  std::set<std::string> current;
  if (!fs::exists(dir + "/sweep.json")) return current;
  const nlohmann::json manifest = load_json_file(dir + "/sweep.json");
  for (const auto& id : manifest.value("points", nlohmann::json::array())) current.insert(id.get<std::string>());
  for (const auto& name : manifest.value("axes", nlohmann::json::array()))
    axis_names.push_back(name.get<std::string>());
  return current;
}

// The metric and numeric axis names of a line (what --x, --y and --where may name).
void add_names(const Line& line, std::set<std::string>& names) {
  for (const char* section : {"metrics", "axes"}) {
    const Line values = line.value(section, Line::object());
    for (const auto& item : values.items()) {
      if (item.value().is_number()) names.insert(item.key());
    }
  }
}

std::string constraints_text(const ParetoQuery& query) {
  std::string text;
  if (query.rate_per_s > 0) text = fmt::format("sustains {} inferences/s", number_text(query.rate_per_s));
  for (const auto& clause : query.where) text += (text.empty() ? "" : ", ") + clause.text;
  return text;
}

SweepRows read_rows(const ParetoQuery& query) {
  if (!fs::is_directory(query.dir)) throw InputError(query.dir, "", "not a sweep results folder");
  SweepRows rows;
  rows.results = read_results(query.dir);
  const std::set<std::string> current = read_manifest(query.dir, rows.axis_names);
  std::vector<Line*> candidates;
  std::set<std::string> known;
  if (query.rate_per_s > 0) known.insert({"duty_at_rate", "idle_power_w", "power_at_rate_w"});
  for (auto& [id, line] : rows.results.by_id) {
    if (!current.empty() && current.count(id) == 0) continue;
    if (line["status"] != "ok") continue;
    const std::string workload = line.value("axes", Line::object()).value("workload", std::string());
    if (!query.workload_filter.empty() && workload != query.workload_filter) continue;
    add_names(line, known);
    ++rows.points_considered;
    // A design slower than the required rate cannot serve it at any power.
    if (query.rate_per_s > 0 && !add_power_at_rate(line, query.rate_per_s)) continue;
    candidates.push_back(&line);
  }
  check_where_names(query.where, known);
  for (Line* line : candidates) {
    if (!satisfies(*line, query.where)) continue;
    const std::string workload = line->value("axes", Line::object()).value("workload", std::string());
    rows.by_workload[workload].push_back(line);
    for (const auto& item : (*line)["metrics"].items()) {
      if (item.value().is_number()) rows.metric_names.insert(item.key());
    }
  }
  if (rows.by_workload.empty()) {
    const std::string constraints = constraints_text(query);
    throw InputError(query.dir + "/results.jsonl",
                     query.workload_filter.empty() ? "" : "--workload " + query.workload_filter,
                     rows.points_considered == 0 || constraints.empty()
                         ? "no successful points to compare"
                         : fmt::format("none of {} successful points meets the constraints ({})",
                                       rows.points_considered, constraints));
  }
  return rows;
}

void check_plotted_names(const ParetoQuery& query, const SweepRows& rows) {
  for (const auto& name : {query.x_name, query.y_name}) {
    double probe = 0;
    if (!line_value(*rows.by_workload.begin()->second.front(), name, probe)) {
      std::string known;
      for (const auto& metric : rows.metric_names) known += (known.empty() ? "" : ", ") + metric;
      throw InputError("<cli>", name == query.x_name ? "--x" : "--y",
                       "'" + name + "' is neither a metric nor a numeric axis; metrics: " + known);
    }
  }
}

// The CSV's axis columns: those of sweep.json, else the first row's (the workload has its own column).
std::vector<std::string> csv_axis_names(const SweepRows& rows) {
  std::vector<std::string> names;
  const std::vector<std::string>& source = rows.axis_names;
  if (!source.empty()) {
    for (const auto& name : source) {
      if (name != "workload") names.push_back(name);
    }
    return names;
  }
  const Line axes = rows.by_workload.begin()->second.front()->value("axes", Line::object());
  for (const auto& item : axes.items()) {
    if (item.key() != "workload") names.push_back(item.key());
  }
  return names;
}

std::string csv_row(const Line& line, const std::string& workload, const std::vector<std::string>& axis_names,
                    const ParetoQuery& query) {
  std::string row = line["id"].get<std::string>() + "," + csv_cell_text(workload);
  for (const auto& name : axis_names) row += "," + csv_cell_text(line["axes"].value(name, Line()));
  for (const auto& name : {query.x_name, query.y_name})
    row += "," + csv_cell_text(line["metrics"].value(name, line["axes"].value(name, Line())));
  return row + "\n";
}

// One workload's front: its lines on the terminal and in the CSV.
void add_front(const std::string& workload, const std::vector<const Line*>& lines, const ParetoQuery& query,
               const std::vector<std::string>& axis_names, ParetoReport& report) {
  std::vector<std::pair<double, double>> xy;
  std::vector<const Line*> usable;
  for (const Line* line : lines) {
    double x = 0, y = 0;
    if (line_value(*line, query.x_name, x) && line_value(*line, query.y_name, y)) {
      xy.emplace_back(x, y);
      usable.push_back(line);
    }
  }
  const std::vector<size_t> front = pareto_front(xy, query.goal);
  report.text += fmt::format("Pareto front for {}: {} of {} points ({} {}, {} {})\n", workload, front.size(),
                             usable.size(), query.goal.minimize_x ? "min" : "max", query.x_name,
                             query.goal.minimize_y ? "min" : "max", query.y_name);
  report.text += fmt::format("  {:<16} {:>14} {:>14}  {}\n", "id", query.x_name, query.y_name, "axes");
  for (const size_t i : front) {
    const Line& line = *usable[i];
    report.text += fmt::format("  {:<16} {:>14} {:>14}  {}\n", line["id"].get<std::string>(),
                               number_text(xy[i].first), number_text(xy[i].second), axes_text(line["axes"], "workload"));
    report.csv += csv_row(line, workload, axis_names, query);
  }
}

// The best point for every metric that varies across one workload's points.
std::string best_per_metric(const std::string& workload, const std::vector<const Line*>& lines,
                            const std::set<std::string>& metric_names) {
  std::string text = fmt::format("Best per metric for {}:\n", workload);
  for (const auto& metric : metric_names) {
    const Line* best = nullptr;
    double best_value = 0, worst_value = 0;
    const bool higher = higher_is_better(metric);
    for (const Line* line : lines) {
      double value = 0;
      if (!line_value(*line, metric, value)) continue;
      if (best == nullptr || (higher ? value > best_value : value < best_value)) {
        if (best == nullptr) worst_value = value;
        best = line;
        best_value = value;
      }
      worst_value = higher ? std::min(worst_value, value) : std::max(worst_value, value);
    }
    if (best == nullptr || best_value == worst_value) continue;
    text += fmt::format("  {:<36} {:>8} {:>14}  {}  {}\n", metric, higher ? "highest" : "lowest",
                        number_text(best_value), (*best)["id"].get<std::string>(), axes_text((*best)["axes"], "workload"));
  }
  return text;
}

// Totals such as cycles or energy_j are per batch: best per metric compares points of one batch size.
std::map<std::string, std::vector<const Line*>> batch_groups(const std::string& workload,
                                                             const std::vector<const Line*>& lines) {
  std::map<uint64_t, std::vector<const Line*>> by_batch;
  for (const Line* line : lines) {
    const Line& axes = (*line)["axes"];
    by_batch[axes.contains("batch") && axes["batch"].is_number() ? axes["batch"].get<uint64_t>() : 0].push_back(
        line);
  }
  std::map<std::string, std::vector<const Line*>> groups;
  for (auto& [batch, group] : by_batch) {
    groups[by_batch.size() > 1 ? fmt::format("{} at batch {}", workload, batch) : workload] = std::move(group);
  }
  return groups;
}

// The design that sustains the required rate at the lowest power among those meeting the constraints.
std::string lowest_power_at_rate(const std::string& workload, const std::vector<const Line*>& lines,
                                 double rate_per_s) {
  const Line* best = nullptr;
  for (const Line* line : lines) {
    if (best == nullptr || (*line)["metrics"]["power_at_rate_w"].get<double>() <
                               (*best)["metrics"]["power_at_rate_w"].get<double>()) {
      best = line;
    }
  }
  const Line& m = (*best)["metrics"];
  return fmt::format(
      "Lowest power at {} inferences/s for {}: {} W ({}), busy {:.1f}% of the time: idle {} W + {:.4f} x "
      "(busy {} W - idle)\n",
      number_text(rate_per_s), workload, number_text(m["power_at_rate_w"].get<double>()),
      (*best)["id"].get<std::string>() + " " + axes_text((*best)["axes"], "workload"),
      100.0 * m["duty_at_rate"].get<double>(), number_text(m["idle_power_w"].get<double>()),
      m["duty_at_rate"].get<double>(), number_text(m["average_power_w"].get<double>()));
}

}  // namespace

ParetoReport pareto_report(const ParetoQuery& query) {
  const SweepRows rows = read_rows(query);
  check_plotted_names(query, rows);
  const std::vector<std::string> axis_names = csv_axis_names(rows);
  ParetoReport report;
  report.csv = "id,workload";
  for (const auto& name : axis_names) report.csv += "," + csv_cell_text(name);
  report.csv += "," + csv_cell_text(query.x_name) + "," + csv_cell_text(query.y_name) + "\n";
  const std::string constraints = constraints_text(query);
  if (!constraints.empty()) {
    size_t kept = 0;
    for (const auto& [workload, lines] : rows.by_workload) kept += lines.size();
    report.text += fmt::format("Constraints ({}): {} of {} successful points kept\n", constraints, kept,
                               rows.points_considered);
  }
  for (const auto& [workload, lines] : rows.by_workload) {
    add_front(workload, lines, query, axis_names, report);
    if (query.rate_per_s > 0) report.text += lowest_power_at_rate(workload, lines, query.rate_per_s);
    for (const auto& [label, group] : batch_groups(workload, lines))
      report.text += best_per_metric(label, group, rows.metric_names);
  }
  return report;
}

int pareto_command(const ParetoQuery& query) {
  const ParetoReport report = pareto_report(query);
  std::cout << report.text;
  write_file_atomically(query.dir + "/pareto.csv", report.csv);
  std::cout << "wrote " << query.dir << "/pareto.csv\n";
  return 0;
}

}  // namespace npusim
