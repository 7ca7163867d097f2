#include "sim/sweep/pareto_filter.h"

#include <cctype>
#include <cstdlib>

#include "arch/spec/input_error.h"

namespace npusim {
namespace {

struct OpSpelling {
  const char* text;
  CompareOp op;
};
// Two-character operators first, so ">=" is not read as ">" followed by "=".
constexpr OpSpelling kOps[] = {{">=", CompareOp::kGreaterEqual}, {"<=", CompareOp::kLessEqual},
                               {"==", CompareOp::kEqual},        {"!=", CompareOp::kNotEqual},
                               {">", CompareOp::kGreater},       {"<", CompareOp::kLess}};

std::string trimmed(const std::string& text) {
  size_t begin = 0, end = text.size();
  while (begin < end && std::isspace(static_cast<unsigned char>(text[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(text[end - 1]))) --end;
  return text.substr(begin, end - begin);
}

bool is_name(const std::string& name) {
  if (name.empty()) return false;
  for (const char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') return false;
  }
  return true;
}

[[noreturn]] void bad_where(const std::string& text, const std::string& why) {
  throw InputError("<cli>", "--where",
                   "'" + text + "': " + why + "; expected NAME OP NUMBER with OP one of >=, <=, >, <, ==, != "
                   "(e.g. \"inferences_per_s>=240\")");
}

}  // namespace

WhereClause parse_where(const std::string& text) {
  for (const OpSpelling& spelling : kOps) {
    const size_t at = text.find(spelling.text);
    if (at == std::string::npos) continue;
    WhereClause clause{text, trimmed(text.substr(0, at)), spelling.op, 0.0};
    if (clause.name.empty()) bad_where(text, "no metric name before the operator");
    if (!is_name(clause.name)) bad_where(text, "'" + clause.name + "' is not a metric name");
    const std::string number = trimmed(text.substr(at + std::string(spelling.text).size()));
    char* end = nullptr;
    clause.value = std::strtod(number.c_str(), &end);
    if (number.empty() || end == nullptr || *end != '\0') bad_where(text, "'" + number + "' is not a number");
    return clause;
  }
  bad_where(text, "no comparison operator");
}

bool holds(const WhereClause& clause, double value) {
  switch (clause.op) {
    case CompareOp::kLess: return value < clause.value;
    case CompareOp::kLessEqual: return value <= clause.value;
    case CompareOp::kGreater: return value > clause.value;
    case CompareOp::kGreaterEqual: return value >= clause.value;
    case CompareOp::kEqual: return value == clause.value;
    case CompareOp::kNotEqual: return value != clause.value;
  }
  return false;
}

std::optional<PowerAtRate> power_at_rate(double rate_per_s, double inferences_per_s, double busy_power_w,
                                         double leakage_energy_j, double time_s) {
  if (inferences_per_s <= 0 || time_s <= 0 || rate_per_s > inferences_per_s) return std::nullopt;
  PowerAtRate power;
  power.duty = rate_per_s / inferences_per_s;
  power.idle_power_w = leakage_energy_j / time_s;
  power.power_w = power.idle_power_w + power.duty * (busy_power_w - power.idle_power_w);
  return power;
}

bool line_value(const nlohmann::ordered_json& line, const std::string& name, double& out) {
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

bool add_power_at_rate(nlohmann::ordered_json& line, double rate_per_s) {
  double rate = 0, busy = 0, leakage = 0, time = 0;
  if (!line_value(line, "inferences_per_s", rate) || !line_value(line, "average_power_w", busy) ||
      !line_value(line, "leakage_energy_j", leakage) || !line_value(line, "time_s", time)) {
    return false;
  }
  const std::optional<PowerAtRate> power = power_at_rate(rate_per_s, rate, busy, leakage, time);
  if (!power) return false;
  nlohmann::ordered_json& metrics = line["metrics"];
  metrics["duty_at_rate"] = power->duty;
  metrics["idle_power_w"] = power->idle_power_w;
  metrics["power_at_rate_w"] = power->power_w;
  return true;
}

void check_where_names(const std::vector<WhereClause>& clauses, const std::set<std::string>& known) {
  for (const WhereClause& clause : clauses) {
    if (known.count(clause.name) > 0) continue;
    std::string names;
    for (const auto& name : known) names += (names.empty() ? "" : ", ") + name;
    throw InputError("<cli>", "--where",
                     "'" + clause.name + "' in '" + clause.text +
                         "' is neither a metric nor a numeric axis of these results; known: " + names);
  }
}

bool satisfies(const nlohmann::ordered_json& line, const std::vector<WhereClause>& clauses) {
  for (const WhereClause& clause : clauses) {
    double value = 0;
    if (!line_value(line, clause.name, value) || !holds(clause, value)) return false;
  }
  return true;
}

}  // namespace npusim
