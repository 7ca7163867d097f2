// Parsing and typed getters for `NAME[:key=value,...]` workload specs.
#include "workloads/workload_spec.h"

#include <limits>

#include "arch/spec/input_error.h"

namespace npusim {
namespace {

std::string trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t");
  if (begin == std::string::npos) return "";
  const auto end = text.find_last_not_of(" \t");
  return text.substr(begin, end - begin + 1);
}

std::string field_path(const WorkloadSpec& spec, const std::string& key) {
  return key.empty() ? spec.name : spec.name + "." + key;
}

// Digits only: "+5", "-1", "1e3" and "0x10" are rejected rather than half-parsed.
std::optional<uint64_t> parse_unsigned(const std::string& text) {
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  for (const char ch : text) {
    if (ch < '0' || ch > '9') return std::nullopt;
    const auto digit = static_cast<uint64_t>(ch - '0');
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

const std::string* find_param(const WorkloadSpec& spec, const std::string& key) {
  const auto it = spec.params.find(key);
  return it == spec.params.end() ? nullptr : &it->second;
}

// Shared by the integer getters: bounds are inclusive; `what` names the expectation in errors.
uint64_t param_integer(const WorkloadSpec& spec, const std::string& key,
                       std::optional<uint64_t> default_value, uint64_t min_value, uint64_t max_value,
                       const std::string& what) {
  const std::string* text = find_param(spec, key);
  if (text == nullptr) {
    if (!default_value) throw_spec_error(spec, key, "missing required parameter (expected " + what + ")");
    return *default_value;
  }
  const auto value = parse_unsigned(*text);
  if (!value || *value < min_value || *value > max_value) {
    throw_spec_error(spec, key, "expected " + what + ", got '" + *text + "'");
  }
  return *value;
}

}  // namespace

void throw_spec_error(const WorkloadSpec& spec, const std::string& key, const std::string& message) {
  throw InputError(kWorkloadSpecFile, field_path(spec, key), message);
}

WorkloadSpec parse_workload_spec(const std::string& text) {
  WorkloadSpec spec;
  const auto colon = text.find(':');
  spec.name = trim(text.substr(0, colon));
  if (spec.name.empty()) {
    throw InputError(kWorkloadSpecFile, "", "expected NAME[:key=value,...], got '" + text + "'");
  }
  if (colon == std::string::npos) return spec;

  const std::string list = text.substr(colon + 1);
  size_t begin = 0;
  while (true) {
    const auto comma = list.find(',', begin);
    const std::string item = trim(list.substr(begin, comma == std::string::npos ? comma : comma - begin));
    const auto equals = item.find('=');
    const std::string key = trim(item.substr(0, equals));
    if (equals == std::string::npos || key.empty()) {
      throw_spec_error(spec, "", "expected key=value, got '" + item + "'");
    }
    const std::string value = trim(item.substr(equals + 1));
    if (value.empty()) throw_spec_error(spec, key, "expected a value after '='");
    if (!spec.params.emplace(key, value).second) throw_spec_error(spec, key, "given more than once");
    if (comma == std::string::npos) break;
    begin = comma + 1;
  }
  return spec;
}

std::string format_workload_spec(const WorkloadSpec& spec) {
  std::string out = spec.name;
  char separator = ':';
  for (const auto& [key, value] : spec.params) {
    out += separator + key + "=" + value;
    separator = ',';
  }
  return out;
}

void reject_unknown_keys(const WorkloadSpec& spec, const std::vector<std::string>& known_keys) {
  for (const auto& entry : spec.params) {
    bool known = false;
    for (const auto& candidate : known_keys) known = known || candidate == entry.first;
    if (known) continue;
    std::string list;
    for (const auto& candidate : known_keys) list += (list.empty() ? "" : ", ") + candidate;
    throw_spec_error(spec, entry.first,
                     "unknown parameter; known: " + (list.empty() ? std::string("(none)") : list));
  }
}

uint32_t param_positive_u32(const WorkloadSpec& spec, const std::string& key,
                            std::optional<uint32_t> default_value) {
  return static_cast<uint32_t>(
      param_integer(spec, key, default_value, 1, std::numeric_limits<uint32_t>::max(), "a positive integer"));
}

uint32_t param_u32(const WorkloadSpec& spec, const std::string& key, std::optional<uint32_t> default_value) {
  return static_cast<uint32_t>(param_integer(spec, key, default_value, 0,
                                             std::numeric_limits<uint32_t>::max(), "a non-negative integer"));
}

uint64_t param_positive_u64(const WorkloadSpec& spec, const std::string& key,
                            std::optional<uint64_t> default_value) {
  return param_integer(spec, key, default_value, 1, std::numeric_limits<uint64_t>::max(),
                       "a positive integer");
}

bool param_bool(const WorkloadSpec& spec, const std::string& key, bool default_value) {
  const std::string* text = find_param(spec, key);
  if (text == nullptr) return default_value;
  if (*text == "true" || *text == "1") return true;
  if (*text == "false" || *text == "0") return false;
  throw_spec_error(spec, key, "expected true, false, 1 or 0, got '" + *text + "'");
}

DType param_dtype(const WorkloadSpec& spec, const std::string& key, DType default_value) {
  const std::string* text = find_param(spec, key);
  if (text == nullptr) return default_value;
  if (const auto dtype = parse_dtype(*text)) return *dtype;
  throw_spec_error(spec, key, "expected one of " + known_dtype_names() + ", got '" + *text + "'");
}

}  // namespace npusim
