// Checks on the keys of JSON objects that are walked by hand (lists of objects in suite and sweep
// files), where ObjectReader::finish() does not apply.
#pragma once

#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

namespace npusim {

// "parent.key", or "key" at the root (parent empty).
std::string join_field_path(const std::string& parent, const std::string& key);

// Throws InputError(file, field.KEY, "unknown field") for the first key of `object` not in `known`,
// and InputError(file, field, ...) when `object` is not an object.
void reject_unknown(const nlohmann::json& object, const std::string& file, const std::string& field,
                    std::initializer_list<const char*> known);

}  // namespace npusim
