// Writes a JSON object member by member in exactly the text nlohmann's dump(2) gives, so that a result with
// hundreds of thousands of rows never exists as one tree copy or one string in memory.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "sim/io/atomic_file.h"

namespace npusim {

class JsonObjectStream {
 public:
  explicit JsonObjectStream(const ChunkSink& emit) : emit_(emit) {}
  // One member whose value is written whole.
  void member(const std::string& key, const nlohmann::ordered_json& value);
  // An array member written element by element: begin, any number of elements, end.
  void begin_array(const std::string& key);
  void element(const nlohmann::ordered_json& value);
  void end_array();
  // Closes the object (and the file's last line).
  void finish();

 private:
  void key(const std::string& name);
  const ChunkSink& emit_;
  bool any_member_ = false;
  bool any_element_ = false;
};

// value.dump(2) with every line after the first indented by `spaces` more: the text of a value nested
// that deep in a dump(2) of its parent (JSON strings never hold a raw newline, so every '\n' is a line).
std::string dump_nested(const nlohmann::ordered_json& value, size_t spaces);

}  // namespace npusim
