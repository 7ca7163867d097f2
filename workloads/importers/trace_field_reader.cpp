#include "workloads/importers/trace_field_reader.h"

#include "arch/spec/input_error.h"

namespace npusim {

std::string describe_trace_value(const nlohmann::json& value) {
  if (value.is_array()) {
    bool flat = value.size() <= 8;
    for (const auto& item : value) flat = flat && item.is_primitive();
    return flat ? value.dump() : "a list of " + std::to_string(value.size()) + " items";
  }
  if (value.is_object()) return "an object";
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

std::string trace_integer_expectation(uint64_t min, uint64_t max) {
  std::string what = min == 0   ? "a non-negative integer"
                     : min == 1 ? "a positive integer"
                                : "an integer >= " + std::to_string(min);
  return what + " up to " + std::to_string(max);
}

TraceFieldReader::TraceFieldReader(const nlohmann::json& object, const std::string& file, std::string path)
    : object_(object), file_(file), path_(std::move(path)) {
  if (!object_.is_object()) {
    throw InputError(file_, path_, "expected an object, got " + describe_trace_value(object_));
  }
}

void TraceFieldReader::fail(const std::string& key, const std::string& expectation) const {
  throw InputError(file_, path_of(key), expectation);
}

const nlohmann::json* TraceFieldReader::get(const char* key, TraceNeed need, const std::string& expectation) {
  seen_.insert(key);
  const auto it = object_.find(key);
  if (it != object_.end()) return &*it;
  if (need == TraceNeed::kRequired) fail(key, "missing; expected " + expectation);
  return nullptr;
}

uint64_t TraceFieldReader::integer(const std::string& key, const nlohmann::json& value, uint64_t min,
                                   uint64_t max) const {
  const bool ok =
      (value.is_number_unsigned() && value.get<uint64_t>() >= min && value.get<uint64_t>() <= max) ||
      (value.is_number_integer() && !value.is_number_unsigned() && value.get<int64_t>() >= 0 &&
       static_cast<uint64_t>(value.get<int64_t>()) >= min && static_cast<uint64_t>(value.get<int64_t>()) <= max);
  if (!ok) fail(key, "expected " + trace_integer_expectation(min, max) + ", got " + describe_trace_value(value));
  return value.get<uint64_t>();
}

void TraceFieldReader::dims(const char* key, std::initializer_list<uint32_t*> values, TraceNeed need,
                            uint32_t min) {
  const std::string expectation = "a list of " + std::to_string(values.size()) + " " +
                                  (min == 0 ? "non-negative" : "positive") + " integers";
  const nlohmann::json* value = get(key, need, expectation);
  if (value == nullptr) return;
  if (!value->is_array() || value->size() != values.size()) {
    fail(key, "expected " + expectation + ", got " + describe_trace_value(*value));
  }
  size_t i = 0;
  for (uint32_t* out : values) {
    const std::string item_key = std::string(key) + "[" + std::to_string(i) + "]";
    *out = static_cast<uint32_t>(integer(item_key, (*value)[i++], min, kTraceMaxDim));
  }
}

void TraceFieldReader::number(const char* key, uint32_t& out, TraceNeed need, uint64_t min) {
  const nlohmann::json* value = get(key, need, trace_integer_expectation(min, kTraceMaxDim));
  if (value != nullptr) out = static_cast<uint32_t>(integer(key, *value, min, kTraceMaxDim));
}

void TraceFieldReader::number(const char* key, uint64_t& out, TraceNeed need, uint64_t min) {
  const nlohmann::json* value = get(key, need, trace_integer_expectation(min, kTraceMaxCount));
  if (value != nullptr) out = integer(key, *value, min, kTraceMaxCount);
}

void TraceFieldReader::flag(const char* key, bool& out) {
  const nlohmann::json* value = get(key, TraceNeed::kOptional, "");
  if (value == nullptr) return;
  if (!value->is_boolean()) fail(key, "expected true or false, got " + describe_trace_value(*value));
  out = value->get<bool>();
}

std::optional<std::string> TraceFieldReader::string(const char* key, TraceNeed need, bool non_empty) {
  const nlohmann::json* value = get(key, need, "a string");
  if (value == nullptr) return std::nullopt;
  if (!value->is_string() || (non_empty && value->get<std::string>().empty())) {
    fail(key, std::string("expected a ") + (non_empty ? "non-empty " : "") + "string, got " +
                  describe_trace_value(*value));
  }
  return value->get<std::string>();
}

void TraceFieldReader::finish() const {
  for (const auto& item : object_.items()) {
    if (seen_.count(item.key()) == 0) fail(item.key(), "unknown field");
  }
}

}  // namespace npusim
