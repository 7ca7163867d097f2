#include "sim/io/json_stream.h"

namespace npusim {

std::string dump_nested(const nlohmann::ordered_json& value, size_t spaces) {
  const std::string text = value.dump(2);
  const std::string indent(spaces, ' ');
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (const char c : text) {
    out += c;
    if (c == '\n') out += indent;
  }
  return out;
}

void JsonObjectStream::key(const std::string& name) {
  emit_(any_member_ ? ",\n  " : "{\n  ");
  any_member_ = true;
  emit_(nlohmann::ordered_json(name).dump());
  emit_(": ");
}

void JsonObjectStream::member(const std::string& name, const nlohmann::ordered_json& value) {
  key(name);
  emit_(dump_nested(value, 2));
}

void JsonObjectStream::begin_array(const std::string& name) {
  key(name);
  any_element_ = false;
}

void JsonObjectStream::element(const nlohmann::ordered_json& value) {
  emit_(any_element_ ? ",\n    " : "[\n    ");
  any_element_ = true;
  emit_(dump_nested(value, 4));
}

void JsonObjectStream::end_array() { emit_(any_element_ ? "\n  ]" : "[]"); }

void JsonObjectStream::finish() { emit_(any_member_ ? "\n}\n" : "{}\n"); }

}  // namespace npusim
