#include "sim/io/json_fields.h"

#include "arch/spec/input_error.h"
#include "arch/spec/json_reader.h"

namespace npusim {

std::string join_field_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

void reject_unknown(const nlohmann::json& object, const std::string& file, const std::string& field,
                    std::initializer_list<const char*> known) {
  if (!object.is_object()) throw InputError(file, field, "expected an object, got " + describe_json(object));
  for (const auto& item : object.items()) {
    bool found = false;
    for (const char* key : known) found = found || item.key() == key;
    if (!found) throw InputError(file, join_field_path(field, item.key()), "unknown field");
  }
}

}  // namespace npusim
