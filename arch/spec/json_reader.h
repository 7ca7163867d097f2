// Reads a JSON object into a plain struct field by field, rejecting unknown keys and naming the
// dotted path of every bad value ("configs/x.json: npu.sram.banks: expected a positive integer").
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "arch/spec/input_error.h"

namespace npusim {

class ObjectReader {
 public:
  // `object` must outlive the reader. A non-object value is an error at `path`.
  ObjectReader(const nlohmann::json& object, std::string file, std::string path);

  // Each read leaves `out` untouched when the key is absent (the struct's default stands).
  void read(const char* key, std::string& out);
  void read(const char* key, bool& out);
  void read(const char* key, double& out);  // finite number
  void read_positive(const char* key, double& out);
  void read_non_negative(const char* key, double& out);
  void read(const char* key, uint32_t& out);  // non-negative integer
  void read(const char* key, uint64_t& out);
  void read_positive(const char* key, uint32_t& out);
  void read_positive(const char* key, uint64_t& out);
  // A string that must be one of `allowed`; returns its index or -1 when absent.
  int read_choice(const char* key, std::initializer_list<const char*> allowed);
  int read_choice(const char* key, const char* const* allowed, size_t count);
  std::vector<std::string> read_string_list(const char* key);  // empty when absent

  bool has(const char* key) const;
  // The raw value (nullptr when absent), marked as read: for values no read() above covers.
  const nlohmann::json* take(const char* key) { return lookup(key); }
  const std::string& file() const { return file_; }
  // A nested object; an absent key gives a reader over an empty object.
  ObjectReader child(const char* key);
  std::string path_of(const char* key) const;
  [[noreturn]] void fail(const char* key, const std::string& expectation) const;

  // Throws for the first key present in the object that no read/child call asked for.
  void finish() const;

 private:
  const nlohmann::json* lookup(const char* key);
  uint64_t read_unsigned(const char* key, uint64_t max_value, bool positive);

  const nlohmann::json& object_;
  std::string file_;
  std::string path_;
  std::set<std::string> seen_;
};

// Short human form of a JSON value for messages: strings quoted, long values cut.
std::string describe_json(const nlohmann::json& value);

}  // namespace npusim
