// Reads the JSON objects of an npusim op trace field by field: the reader side of the field lists in
// trace_schema.h (trace_params), plus the generic reads the importer needs. Every error names the file
// and the dotted path; unknown keys are errors (finish()).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "workloads/exporters/trace_schema.h"

namespace npusim {

// Short form of a value for messages; never dumps a large or deeply nested value whole.
std::string describe_trace_value(const nlohmann::json& value);

// "a positive integer up to MAX" and the like.
std::string trace_integer_expectation(uint64_t min, uint64_t max);

class TraceFieldReader {
 public:
  // `object` and `file` must outlive the reader; a value that is not an object is an error at `path`.
  TraceFieldReader(const nlohmann::json& object, const std::string& file, std::string path);

  std::string path_of(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  [[noreturn]] void fail(const std::string& key, const std::string& expectation) const;
  bool present(const char* key) const { return object_.contains(key); }

  // The value at `key` (marked as read), or null when absent; a missing required key is an error.
  const nlohmann::json* get(const char* key, TraceNeed need, const std::string& expectation);
  uint64_t integer(const std::string& key, const nlohmann::json& value, uint64_t min, uint64_t max) const;
  void dims(const char* key, std::initializer_list<uint32_t*> values, TraceNeed need, uint32_t min);
  void number(const char* key, uint32_t& out, TraceNeed need, uint64_t min);
  void number(const char* key, uint64_t& out, TraceNeed need, uint64_t min);
  void flag(const char* key, bool& out);
  std::optional<std::string> string(const char* key, TraceNeed need, bool non_empty);

  template <typename Enum>
  void choice(const char* key, Enum& out, const std::vector<std::pair<std::string, Enum>>& names,
              TraceNeed need) {
    std::string known;
    for (const auto& entry : names) known += (known.empty() ? "" : ", ") + entry.first;
    const nlohmann::json* value = get(key, need, "one of: " + known);
    if (value == nullptr) return;
    for (const auto& [name, e] : names) {
      if (value->is_string() && value->get<std::string>() == name) {
        out = e;
        return;
      }
    }
    fail(key, describe_trace_value(*value) + " is not one of: " + known);
  }

  // Throws for the first key of the object that no read asked for.
  void finish() const;

 private:
  const nlohmann::json& object_;
  const std::string& file_;
  std::string path_;
  std::set<std::string> seen_;
};

}  // namespace npusim
