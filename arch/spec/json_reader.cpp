#include "arch/spec/json_reader.h"

#include <cmath>
#include <limits>

namespace npusim {
namespace {
const nlohmann::json& empty_object() {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  return kEmpty;
}
}  // namespace

std::string describe_json(const nlohmann::json& value) {
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

ObjectReader::ObjectReader(const nlohmann::json& object, std::string file, std::string path)
    : object_(object.is_null() ? empty_object() : object), file_(std::move(file)), path_(std::move(path)) {
  if (!object_.is_object()) {
    throw InputError(file_, path_.empty() ? "<root>" : path_,
                     "expected an object, got " + describe_json(object_));
  }
}

std::string ObjectReader::path_of(const char* key) const {
  return path_.empty() ? std::string(key) : path_ + "." + key;
}

void ObjectReader::fail(const char* key, const std::string& expectation) const {
  throw InputError(file_, path_of(key), expectation);
}

bool ObjectReader::has(const char* key) const { return object_.contains(key); }

const nlohmann::json* ObjectReader::lookup(const char* key) {
  seen_.insert(key);
  const auto it = object_.find(key);
  return it == object_.end() ? nullptr : &*it;
}

void ObjectReader::read(const char* key, std::string& out) {
  const nlohmann::json* value = lookup(key);
  if (value == nullptr) return;
  if (!value->is_string()) fail(key, "expected a string, got " + describe_json(*value));
  out = value->get<std::string>();
}

void ObjectReader::read(const char* key, bool& out) {
  const nlohmann::json* value = lookup(key);
  if (value == nullptr) return;
  if (!value->is_boolean()) fail(key, "expected true or false, got " + describe_json(*value));
  out = value->get<bool>();
}

void ObjectReader::read(const char* key, double& out) {
  const nlohmann::json* value = lookup(key);
  if (value == nullptr) return;
  if (!value->is_number()) fail(key, "expected a number, got " + describe_json(*value));
  const double number = value->get<double>();
  if (!std::isfinite(number)) fail(key, "expected a finite number");
  out = number;
}

void ObjectReader::read_positive(const char* key, double& out) {
  double number = out;
  read(key, number);
  if (has(key) && !(number > 0.0)) {
    fail(key, "expected a positive number, got " + describe_json(object_.at(key)));
  }
  out = number;
}

void ObjectReader::read_non_negative(const char* key, double& out) {
  double number = out;
  read(key, number);
  if (has(key) && number < 0.0) {
    fail(key, "expected a non-negative number, got " + describe_json(object_.at(key)));
  }
  out = number;
}

uint64_t ObjectReader::read_unsigned(const char* key, uint64_t max_value, bool positive) {
  const nlohmann::json& value = object_.at(key);
  const char* what = positive ? "a positive integer" : "a non-negative integer";
  const bool integral = value.is_number_integer() ||
                        (value.is_number_float() && std::floor(value.get<double>()) == value.get<double>() &&
                         std::fabs(value.get<double>()) < 9.0e15);
  if (!integral) fail(key, std::string("expected ") + what + ", got " + describe_json(value));
  const bool negative = value.is_number_float()
                            ? value.get<double>() < 0
                            : (value.is_number_unsigned() ? false : value.get<int64_t>() < 0);
  const uint64_t number = negative                  ? 0
                          : value.is_number_float() ? static_cast<uint64_t>(value.get<double>())
                                                    : value.get<uint64_t>();
  if (negative || (positive && number == 0) || number > max_value) {
    fail(key, std::string("expected ") + what + (number > max_value ? " that fits" : "") + ", got " +
                  describe_json(value));
  }
  return number;
}

void ObjectReader::read(const char* key, uint32_t& out) {
  if (lookup(key) != nullptr) out = static_cast<uint32_t>(read_unsigned(key, UINT32_MAX, false));
}
void ObjectReader::read(const char* key, uint64_t& out) {
  if (lookup(key) != nullptr) out = read_unsigned(key, UINT64_MAX, false);
}
void ObjectReader::read_positive(const char* key, uint32_t& out) {
  if (lookup(key) != nullptr) out = static_cast<uint32_t>(read_unsigned(key, UINT32_MAX, true));
}
void ObjectReader::read_positive(const char* key, uint64_t& out) {
  if (lookup(key) != nullptr) out = read_unsigned(key, UINT64_MAX, true);
}

int ObjectReader::read_choice(const char* key, std::initializer_list<const char*> allowed) {
  return read_choice(key, allowed.begin(), allowed.size());
}

int ObjectReader::read_choice(const char* key, const char* const* allowed, size_t count) {
  const nlohmann::json* value = lookup(key);
  if (value == nullptr) return -1;
  std::string names;
  for (size_t index = 0; index < count; ++index) {
    if (value->is_string() && value->get<std::string>() == allowed[index]) return static_cast<int>(index);
    names += (index > 0 ? ", " : "") + std::string(allowed[index]);
  }
  fail(key, describe_json(*value) + " is not one of: " + names);
}

std::vector<std::string> ObjectReader::read_string_list(const char* key) {
  const nlohmann::json* value = lookup(key);
  std::vector<std::string> out;
  if (value == nullptr) return out;
  if (!value->is_array()) fail(key, "expected a list of strings, got " + describe_json(*value));
  for (const auto& item : *value) {
    if (!item.is_string()) fail(key, "expected a list of strings, got element " + describe_json(item));
    out.push_back(item.get<std::string>());
  }
  return out;
}

ObjectReader ObjectReader::child(const char* key) {
  const nlohmann::json* value = lookup(key);
  return ObjectReader(value == nullptr ? empty_object() : *value, file_, path_of(key));
}

void ObjectReader::finish() const {
  for (const auto& item : object_.items()) {
    if (seen_.count(item.key()) == 0) {
      throw InputError(file_, path_of(item.key().c_str()), "unknown field");
    }
  }
}

}  // namespace npusim
