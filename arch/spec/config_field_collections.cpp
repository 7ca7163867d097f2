// Declared config fields holding more than one value: dtype and node lists, optional numbers, keyed
// maps of numbers and free-form JSON objects (the scalars are in config_field.cpp).
#include "arch/spec/config_field_ops.h"

namespace npusim {
namespace {

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

FieldRow row_of(const char* type, std::string default_value, std::string range) {
  FieldRow row;
  row.type = type;
  row.default_value = std::move(default_value);
  row.range = std::move(range);
  return row;
}

std::string value_range(const FieldInfo& info) {
  return info.bound == Bound::kPositive ? "> 0" : info.bound == Bound::kNonNegative ? ">= 0" : "";
}

// Reads each allowed key that is present, in the declared key order, then rejects any other key.
template <class Map>
void read_map(ObjectReader& reader, const char* key, const FieldInfo& info, Map& map) {
  ObjectReader entries = reader.child(key);
  for (const std::string& name : info.keys()) {
    if (!entries.has(name.c_str())) continue;
    double number = 0.0;
    read_value(entries, name.c_str(), info, number);
    if constexpr (std::is_same_v<typename Map::key_type, DType>) {
      map[*parse_dtype(name)] = number;
    } else {
      map[name] = number;
    }
  }
  entries.finish();
}

template <class Map>
void write_map(nlohmann::json& out, const char* key, const Map& map) {
  if (map.empty()) return;
  nlohmann::json object = nlohmann::json::object();
  for (const auto& [name, number] : map) {
    if constexpr (std::is_same_v<typename Map::key_type, DType>) {
      object[std::string(dtype_name(name))] = number;
    } else {
      object[name] = number;
    }
  }
  out[key] = std::move(object);
}

template <class Map>
std::string check_map(const FieldInfo& info, const Map& map) {
  for (const auto& entry : map) {
    std::string problem = check_value(info, entry.second);
    if (!problem.empty()) return problem;
  }
  return "";
}

FieldRow describe_map(const FieldInfo& info) {
  return row_of("object", "{}", "keys " + join(info.keys()) + "; values " + value_range(info));
}

}  // namespace

// ---- a non-empty list of dtype names ----

void read_value(ObjectReader& reader, const char* key, const FieldInfo&, std::vector<DType>& value) {
  if (!reader.has(key)) return;
  value.clear();
  for (const auto& name : reader.read_string_list(key)) {
    const auto dtype = parse_dtype(name);
    if (!dtype) reader.fail(key, "'" + name + "' is not one of: " + known_dtype_names());
    value.push_back(*dtype);
  }
  if (value.empty()) reader.fail(key, "expected at least one data type");
}
void write_value(nlohmann::json& out, const char* key, const FieldInfo&, const std::vector<DType>& value) {
  nlohmann::json list = nlohmann::json::array();
  for (DType dtype : value) list.push_back(std::string(dtype_name(dtype)));
  out[key] = std::move(list);
}
std::string check_value(const FieldInfo&, const std::vector<DType>& value) {
  return value.empty() ? "expected at least one data type" : "";
}
FieldRow describe_value(const FieldInfo& info, const std::vector<DType>& value) {
  nlohmann::json list;
  write_value(list, "list", info, value);
  return row_of("list of strings", list["list"].dump(), known_dtype_names());
}

// ---- a list of NoC node ids, each named by index on error ----

void read_value(ObjectReader& reader, const char* key, const FieldInfo&, std::vector<uint32_t>& value) {
  const nlohmann::json* list = reader.take(key);
  if (list == nullptr) return;
  const std::string path = reader.path_of(key);
  if (!list->is_array())
    throw InputError(reader.file(), path, "expected a list of node ids, got " + describe_json(*list));
  std::vector<uint32_t> nodes;
  for (size_t i = 0; i < list->size(); ++i) {
    const nlohmann::json& item = (*list)[i];
    const bool valid = item.is_number_unsigned() ? item.get<uint64_t>() <= UINT32_MAX
                                                 : item.is_number_integer() && item.get<int64_t>() >= 0 &&
                                                       item.get<int64_t>() <= int64_t{UINT32_MAX};
    if (!valid) {
      throw InputError(reader.file(), path + "[" + std::to_string(i) + "]",
                       "expected a non-negative node id, got " + describe_json(item));
    }
    nodes.push_back(static_cast<uint32_t>(item.get<int64_t>()));
  }
  if (nodes.empty()) reader.fail(key, "expected at least one node");
  value = std::move(nodes);
}
void write_value(nlohmann::json& out, const char* key, const FieldInfo&, const std::vector<uint32_t>& value) {
  out[key] = value;
}
std::string check_value(const FieldInfo&, const std::vector<uint32_t>&) { return ""; }
FieldRow describe_value(const FieldInfo&, const std::vector<uint32_t>& value) {
  return row_of("list of integers", nlohmann::json(value).dump(), ">= 0 each");
}

// ---- an optional number: absent = derived elsewhere ----

void read_value(ObjectReader& reader, const char* key, const FieldInfo& info, std::optional<double>& value) {
  if (!reader.has(key)) return;
  double number = value.value_or(0.0);
  read_value(reader, key, info, number);
  value = number;
}
void write_value(nlohmann::json& out, const char* key, const FieldInfo&, const std::optional<double>& value) {
  if (value) out[key] = *value;
}
std::string check_value(const FieldInfo& info, const std::optional<double>& value) {
  return value ? check_value(info, *value) : "";
}
FieldRow describe_value(const FieldInfo& info, const std::optional<double>& value) {
  FieldRow row = row_of("number", value ? nlohmann::json(*value).dump() : "", value_range(info));
  if (!value) row.description = "; absent = derived";
  return row;
}

// ---- keyed maps of numbers ----

void read_value(ObjectReader& reader, const char* key, const FieldInfo& info,
                std::map<DType, double>& value) {
  read_map(reader, key, info, value);
}
void write_value(nlohmann::json& out, const char* key, const FieldInfo&,
                 const std::map<DType, double>& value) {
  write_map(out, key, value);
}
std::string check_value(const FieldInfo& info, const std::map<DType, double>& value) {
  return check_map(info, value);
}
FieldRow describe_value(const FieldInfo& info, const std::map<DType, double>&) { return describe_map(info); }

void read_value(ObjectReader& reader, const char* key, const FieldInfo& info,
                std::map<std::string, double>& value) {
  read_map(reader, key, info, value);
}
void write_value(nlohmann::json& out, const char* key, const FieldInfo&,
                 const std::map<std::string, double>& value) {
  write_map(out, key, value);
}
std::string check_value(const FieldInfo& info, const std::map<std::string, double>& value) {
  return check_map(info, value);
}
FieldRow describe_value(const FieldInfo& info, const std::map<std::string, double>&) {
  return describe_map(info);
}

// ---- any JSON object, kept as given ----

void read_value(ObjectReader& reader, const char* key, const FieldInfo&, nlohmann::json& value) {
  const nlohmann::json* given = reader.take(key);
  if (given == nullptr) return;
  if (!given->is_object() && !given->is_null()) {
    throw InputError(reader.file(), reader.path_of(key), "expected an object, got " + describe_json(*given));
  }
  value = *given;
}
void write_value(nlohmann::json& out, const char* key, const FieldInfo&, const nlohmann::json& value) {
  out[key] = value;
}
std::string check_value(const FieldInfo&, const nlohmann::json& value) {
  return value.is_object() || value.is_null() ? "" : "expected an object";
}
FieldRow describe_value(const FieldInfo&, const nlohmann::json& value) {
  return row_of("object", value.dump(), "");
}

}  // namespace npusim
