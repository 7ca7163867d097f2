// Value-level reading, writing, checking and describing of declared config fields (config_field_ops.h).
#include <cmath>
#include <sstream>

#include "arch/spec/config_field_ops.h"
#include "arch/spec/unit_limits.h"

namespace npusim {
namespace {

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// A Markdown table cell: pipes escaped, empty cells left empty.
std::string cell(const std::string& text, bool code) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return code && !out.empty() ? "`" + out + "`" : out;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// The unit's physical limit applies where the declaration states no range of its own; counts ("" unit)
// are limited only when they are integers (a unitless number may be a ratio).
const UnitLimit* implied_limit(const FieldInfo& info, bool integer) {
  if (info.min < info.max || (!integer && info.unit[0] == '\0')) return nullptr;
  return unit_limit(info.unit);
}

std::string limit_problem(const FieldInfo& info, bool integer, double value) {
  return implied_limit(info, integer) == nullptr ? "" : unit_limit_problem(info.unit, value);
}

std::string bound_text(const FieldInfo& info, bool integer) {
  std::string text = info.bound == Bound::kPositive                   ? "> 0"
                     : (integer || info.bound == Bound::kNonNegative) ? ">= 0"
                                                                      : "";
  if (info.min < info.max) text = number_text(info.min) + " to " + number_text(info.max);
  if (const UnitLimit* limit = implied_limit(info, integer)) {
    const bool above_zero = info.bound == Bound::kPositive && limit->min == 0;
    text = (above_zero ? std::string("> 0") : number_text(limit->min)) + " to " + number_text(limit->max);
  }
  return text;
}

// The read that matches the declared bound; then the declared range, if any.
void read_number(ObjectReader& reader, const char* key, const FieldInfo& info, double& value) {
  switch (info.bound) {
    case Bound::kAny:
      reader.read(key, value);
      break;
    case Bound::kNonNegative:
      reader.read_non_negative(key, value);
      break;
    case Bound::kPositive:
      reader.read_positive(key, value);
      break;
  }
  if (info.min < info.max && (value < info.min || value > info.max)) {
    reader.fail(key, "expected " + number_text(info.min) + " to " + number_text(info.max) + " " + info.unit +
                         " (" + info.range_reason + "), got " + number_text(value));
  }
  const std::string problem = limit_problem(info, false, value);
  if (!problem.empty()) reader.fail(key, problem);
}

std::string count_problem(const FieldInfo& info, uint64_t value) {
  const auto number = static_cast<double>(value);
  if (info.min < info.max && (number < info.min || number > info.max)) {
    return "expected " + number_text(info.min) + " to " + number_text(info.max) +
           (info.unit[0] == '\0' ? "" : " ") + info.unit + " (" + info.range_reason + "), got " +
           std::to_string(value);
  }
  return limit_problem(info, true, number);
}

template <class T>
void read_count(ObjectReader& reader, const char* key, const FieldInfo& info, T& value) {
  info.bound == Bound::kPositive ? reader.read_positive(key, value) : reader.read(key, value);
  const std::string problem = count_problem(info, value);
  if (!problem.empty()) reader.fail(key, problem);
}

template <class T>
FieldRow row_of(const char* type, const T& default_value, std::string range) {
  FieldRow row;
  row.type = type;
  row.default_value = nlohmann::json(default_value).dump();
  row.range = std::move(range);
  return row;
}

}  // namespace

// ---- integers ----

void read_value(ObjectReader& reader, const char* key, const FieldInfo& info, uint32_t& value) {
  read_count(reader, key, info, value);
}
void read_value(ObjectReader& reader, const char* key, const FieldInfo& info, uint64_t& value) {
  read_count(reader, key, info, value);
}
void write_value(nlohmann::json& out, const char* key, const FieldInfo&, const uint32_t& value) {
  out[key] = value;
}
void write_value(nlohmann::json& out, const char* key, const FieldInfo&, const uint64_t& value) {
  out[key] = value;
}
std::string check_value(const FieldInfo& info, const uint32_t& value) {
  return check_value(info, uint64_t{value});
}
std::string check_value(const FieldInfo& info, const uint64_t& value) {
  if (info.bound == Bound::kPositive && value == 0) return "expected a positive integer, got 0";
  return count_problem(info, value);
}
FieldRow describe_value(const FieldInfo& info, const uint32_t& value) {
  return row_of("integer", value, bound_text(info, true));
}
FieldRow describe_value(const FieldInfo& info, const uint64_t& value) {
  return row_of("integer", value, bound_text(info, true));
}

// ---- numbers, flags, strings ----

void read_value(ObjectReader& reader, const char* key, const FieldInfo& info, double& value) {
  read_number(reader, key, info, value);
}
void write_value(nlohmann::json& out, const char* key, const FieldInfo&, const double& value) {
  out[key] = value;
}
std::string check_value(const FieldInfo& info, const double& value) {
  const std::string got = ", got " + number_text(value);
  if (!std::isfinite(value)) return "expected a finite number" + got;
  if (info.bound == Bound::kPositive && !(value > 0.0)) return "expected a positive number" + got;
  if (info.bound == Bound::kNonNegative && value < 0.0) return "expected a non-negative number" + got;
  if (info.min < info.max && (value < info.min || value > info.max)) {
    return "expected " + number_text(info.min) + " to " + number_text(info.max) + " " + info.unit + got;
  }
  return limit_problem(info, false, value);
}
FieldRow describe_value(const FieldInfo& info, const double& value) {
  return row_of("number", value, bound_text(info, false));
}

void read_value(ObjectReader& reader, const char* key, const FieldInfo&, bool& value) {
  reader.read(key, value);
}
void write_value(nlohmann::json& out, const char* key, const FieldInfo&, const bool& value) {
  out[key] = value;
}
std::string check_value(const FieldInfo&, const bool&) { return ""; }
FieldRow describe_value(const FieldInfo&, const bool& value) { return row_of("bool", value, ""); }

void read_value(ObjectReader& reader, const char* key, const FieldInfo&, std::string& value) {
  reader.read(key, value);
}
void write_value(nlohmann::json& out, const char* key, const FieldInfo&, const std::string& value) {
  out[key] = value;
}
std::string check_value(const FieldInfo&, const std::string&) { return ""; }
FieldRow describe_value(const FieldInfo&, const std::string& value) { return row_of("string", value, ""); }

// ---- enums and variant kinds ----

int read_choice_index(ObjectReader& reader, const char* key, const FieldInfo& info) {
  return reader.read_choice(key, info.choices, info.choice_count);
}

FieldRow describe_choice(const FieldInfo& info, size_t default_index) {
  std::vector<std::string> names(info.choices, info.choices + info.choice_count);
  return row_of("string", names.at(default_index), join(names));
}

void fail_foreign_kind_field(ObjectReader& reader, const char* key, const FieldInfo& info,
                             const char* own_kind, const char* other_kind) {
  reader.fail(key, std::string("not a field of a ") + info.kind_noun + " of kind '" + own_kind +
                       "' (it belongs to kind '" + other_kind + "')");
}

FieldRow finish_row(FieldRow row, const std::string& path, const FieldInfo& info) {
  row.path = path;
  row.unit = info.unit;
  row.description = info.description + row.description;  // a value type's note follows the declared text
  if (*info.source != '\0') row.description += std::string(" [") + info.source + "]";
  return row;
}

std::string fields_markdown(const std::vector<FieldRow>& rows) {
  std::string out = "| path | type | unit | default | range | description |\n|---|---|---|---|---|---|\n";
  for (const FieldRow& row : rows) {
    out += "| " + cell(row.path, true) + " | " + cell(row.type, false) + " | " + cell(row.unit, false) +
           " | " + cell(row.default_value, true) + " | " + cell(row.range, false) + " | " +
           cell(row.description, false) + " |\n";
  }
  return out;
}

}  // namespace npusim
