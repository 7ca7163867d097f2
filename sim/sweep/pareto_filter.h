// Constraints on a sweep's points (`npusim pareto --where "inferences_per_s>=240"`) and the power a
// design draws when it only has to sustain a required rate (`--rate`), both applied before the front.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace npusim {

enum class CompareOp { kLess, kLessEqual, kGreater, kGreaterEqual, kEqual, kNotEqual };

struct WhereClause {
  std::string text;  // as given, for messages
  std::string name;  // a metric or numeric axis
  CompareOp op = CompareOp::kGreaterEqual;
  double value = 0.0;
};

// "NAME OP NUMBER" with OP one of >=, <=, >, <, ==, != (spaces allowed). Throws InputError on --where.
WhereClause parse_where(const std::string& text);

bool holds(const WhereClause& clause, double value);

// Power at a required rate: a design that sustains `inferences_per_s` runs busy for a share
// duty = rate / inferences_per_s of the time and idles the rest, so it draws
//   idle_w + duty * (busy_w - idle_w)
// where busy_w is the run's average power and idle_w its static (leakage) power, leakage_energy_j / time_s.
struct PowerAtRate {
  double duty = 0.0;
  double idle_power_w = 0.0;
  double power_w = 0.0;
};
std::optional<PowerAtRate> power_at_rate(double rate_per_s, double inferences_per_s, double busy_power_w,
                                         double leakage_energy_j, double time_s);

// Adds duty_at_rate, idle_power_w and power_at_rate_w to a result line's metrics; returns false (the
// line untouched) when the design cannot sustain the rate or the line lacks the metrics needed.
bool add_power_at_rate(nlohmann::ordered_json& line, double rate_per_s);

// Checks every clause's name against the known metric and axis names (InputError on --where listing
// them) and whether a line satisfies all clauses (a line without the value fails).
void check_where_names(const std::vector<WhereClause>& clauses, const std::set<std::string>& known);
bool satisfies(const nlohmann::ordered_json& line, const std::vector<WhereClause>& clauses);

// A numeric value of a result line: a metric, or an axis (a swept config field).
bool line_value(const nlohmann::ordered_json& line, const std::string& name, double& out);

}  // namespace npusim
