// What the field declarations (config_field.h) are for: reading a struct from JSON (unknown keys,
// types and ranges checked, errors naming the dotted path), writing it back resolved, checking a
// hand-built struct, and listing its fields as table rows. One overload set per value type below;
// nested structs recurse, closed variants are selected by "kind".
#pragma once

#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "arch/spec/config_field.h"
#include "arch/spec/dtype.h"
#include "arch/spec/json_reader.h"

namespace npusim {

// Struct level: every declared field of S, in declaration order. read_fields leaves absent keys at
// their current values and does not call reader.finish() (the caller does, once all keys are read).
template <class S>
void read_fields(ObjectReader& reader, S& object);
template <class S>
void write_fields(const S& object, nlohmann::json& out);
template <class S>
std::string check_fields(const S& object, const std::string& path);  // first violation, "" when none
template <class S>
void describe_fields(const S& defaults, const std::string& path, std::vector<FieldRow>& rows);
// A whole object: read_fields, then any key no field declares is an error (reader.finish()).
template <class S>
void read_object(ObjectReader reader, S& object);
// A whole config read from the top of `document` (errors name `file` and "root.<field>"), and written
// back as the object of its fields, defaults filled in.
template <class S>
S read_config(const nlohmann::json& document, const std::string& file, const char* root);
template <class S>
nlohmann::json fields_to_json(const S& object);

// ---- Value level (config_field.cpp, config_field_collections.cpp): one overload per value type. ----
// read: leaves `value` as is when the key is absent. write: sets out[key] (optionals and empty maps are
// left out). check: "" or "expected ..., got ..." for a value outside its declared range.
// describe: the row's type, default and range columns.
void read_value(ObjectReader& reader, const char* key, const FieldInfo& info, uint32_t& value);
void write_value(nlohmann::json& out, const char* key, const FieldInfo& info, const uint32_t& value);
std::string check_value(const FieldInfo& info, const uint32_t& value);
FieldRow describe_value(const FieldInfo& info, const uint32_t& value);
void read_value(ObjectReader& reader, const char* key, const FieldInfo& info, uint64_t& value);
void write_value(nlohmann::json& out, const char* key, const FieldInfo& info, const uint64_t& value);
std::string check_value(const FieldInfo& info, const uint64_t& value);
FieldRow describe_value(const FieldInfo& info, const uint64_t& value);
void read_value(ObjectReader& reader, const char* key, const FieldInfo& info, double& value);
void write_value(nlohmann::json& out, const char* key, const FieldInfo& info, const double& value);
std::string check_value(const FieldInfo& info, const double& value);
FieldRow describe_value(const FieldInfo& info, const double& value);
void read_value(ObjectReader& reader, const char* key, const FieldInfo& info, bool& value);
void write_value(nlohmann::json& out, const char* key, const FieldInfo& info, const bool& value);
std::string check_value(const FieldInfo& info, const bool& value);
FieldRow describe_value(const FieldInfo& info, const bool& value);
void read_value(ObjectReader& reader, const char* key, const FieldInfo& info, std::string& value);
void write_value(nlohmann::json& out, const char* key, const FieldInfo& info, const std::string& value);
std::string check_value(const FieldInfo& info, const std::string& value);
FieldRow describe_value(const FieldInfo& info, const std::string& value);
// std::vector<DType>: a non-empty list of dtype names
void read_value(ObjectReader& reader, const char* key, const FieldInfo& info, std::vector<DType>& value);
void write_value(nlohmann::json& out, const char* key, const FieldInfo& info,
                 const std::vector<DType>& value);
std::string check_value(const FieldInfo& info, const std::vector<DType>& value);
FieldRow describe_value(const FieldInfo& info, const std::vector<DType>& value);
// std::vector<uint32_t>: a list of node ids
void read_value(ObjectReader& reader, const char* key, const FieldInfo& info, std::vector<uint32_t>& value);
void write_value(nlohmann::json& out, const char* key, const FieldInfo& info,
                 const std::vector<uint32_t>& value);
std::string check_value(const FieldInfo& info, const std::vector<uint32_t>& value);
FieldRow describe_value(const FieldInfo& info, const std::vector<uint32_t>& value);
// std::optional<double>: absent = derived elsewhere
void read_value(ObjectReader& reader, const char* key, const FieldInfo& info, std::optional<double>& value);
void write_value(nlohmann::json& out, const char* key, const FieldInfo& info,
                 const std::optional<double>& value);
std::string check_value(const FieldInfo& info, const std::optional<double>& value);
FieldRow describe_value(const FieldInfo& info, const std::optional<double>& value);
// std::map<DType, double>: keys: info.keys()
void read_value(ObjectReader& reader, const char* key, const FieldInfo& info, std::map<DType, double>& value);
void write_value(nlohmann::json& out, const char* key, const FieldInfo& info,
                 const std::map<DType, double>& value);
std::string check_value(const FieldInfo& info, const std::map<DType, double>& value);
FieldRow describe_value(const FieldInfo& info, const std::map<DType, double>& value);
// std::map<std::string, double>: keys: info.keys()
void read_value(ObjectReader& reader, const char* key, const FieldInfo& info,
                std::map<std::string, double>& value);
void write_value(nlohmann::json& out, const char* key, const FieldInfo& info,
                 const std::map<std::string, double>& value);
std::string check_value(const FieldInfo& info, const std::map<std::string, double>& value);
FieldRow describe_value(const FieldInfo& info, const std::map<std::string, double>& value);
// nlohmann::json: any object, kept verbatim
void read_value(ObjectReader& reader, const char* key, const FieldInfo& info, nlohmann::json& value);
void write_value(nlohmann::json& out, const char* key, const FieldInfo& info, const nlohmann::json& value);
std::string check_value(const FieldInfo& info, const nlohmann::json& value);
FieldRow describe_value(const FieldInfo& info, const nlohmann::json& value);

// Enums are read and written by name (info.choices, in enum order).
int read_choice_index(ObjectReader& reader, const char* key, const FieldInfo& info);  // -1 when absent
FieldRow describe_choice(const FieldInfo& info, size_t default_index);
// Adds the columns every row takes from the declaration: path, unit, description (before the value type's
// note that describe_value may have put there, and the source tag).
FieldRow finish_row(FieldRow row, const std::string& path, const FieldInfo& info);
[[noreturn]] void fail_foreign_kind_field(ObjectReader& reader, const char* key, const FieldInfo& info,
                                          const char* own_kind, const char* other_kind);

namespace field_detail {

template <class T, class = void>
struct HasFields : std::false_type {};
template <class T>
struct HasFields<T, std::void_t<decltype(T::fields())>> : std::true_type {};
template <class T>
struct IsVariant : std::false_type {};
template <class... A>
struct IsVariant<std::variant<A...>> : std::true_type {};

// Calls fn(static_cast<A*>(nullptr)) for each alternative A of the variant, in order.
template <class... A, class Fn>
void for_each_kind(const std::variant<A...>*, Fn&& fn) {
  (fn(static_cast<A*>(nullptr)), ...);
}

// The kind names of a variant's alternatives (each declares `static constexpr const char* kKind`).
template <class... A>
FieldInfo with_kind_names(FieldInfo info, const std::variant<A...>*) {
  static constexpr const char* kNames[] = {A::kKind...};
  info.choices = kNames;
  info.choice_count = sizeof...(A);
  return info;
}

// The factory: the default-constructed alternative at `index`.
template <class V, size_t... I>
V make_alternative(size_t index, std::index_sequence<I...>) {
  static constexpr V (*kMake[])() = {[]() -> V { return std::variant_alternative_t<I, V>{}; }...};
  return kMake[index]();
}

template <class A>
bool declares_field(const char* name) {
  for (const auto& f : A::fields())
    if (std::strcmp(f.name, name) == 0) return true;
  return false;
}

// The "kind" key picks the alternative; its own fields sit beside it, another kind's are errors.
template <class V>
void read_variant(ObjectReader& reader, const char* key, const FieldInfo& declared, V& value) {
  const FieldInfo info = with_kind_names(declared, &value);
  const int index = read_choice_index(reader, key, info);
  if (index >= 0) {
    value =
        make_alternative<V>(static_cast<size_t>(index), std::make_index_sequence<std::variant_size_v<V>>{});
  }
  std::visit(
      [&](auto& own) {
        using Own = std::decay_t<decltype(own)>;
        read_fields(reader, own);
        for_each_kind(&value, [&](auto* other) {
          using Other = std::remove_pointer_t<decltype(other)>;
          for (const auto& f : Other::fields()) {
            if (reader.has(f.name) && !declares_field<Own>(f.name))
              fail_foreign_kind_field(reader, f.name, info, Own::kKind, Other::kKind);
          }
        });
      },
      value);
}

template <class V>
void write_variant(nlohmann::json& out, const char* key, const V& value) {
  std::visit(
      [&](const auto& own) {
        out[key] = own.kKind;
        write_fields(own, out);
      },
      value);
}

// The kind row, then each kind's fields at the level of the kind key.
template <class V>
void describe_variant(const std::string& path, const FieldInfo& declared, const V& defaults,
                      std::vector<FieldRow>& rows) {
  const FieldInfo info = with_kind_names(declared, &defaults);
  rows.push_back(finish_row(describe_choice(info, defaults.index()), path, info));
  const std::string parent = path.substr(0, path.rfind('.'));
  for_each_kind(&defaults, [&](auto* kind) {
    using Kind = std::remove_pointer_t<decltype(kind)>;
    const size_t first = rows.size();
    describe_fields(Kind{}, parent, rows);
    for (size_t r = first; r < rows.size(); ++r)
      rows[r].description = std::string("(kind ") + Kind::kKind + ") " + rows[r].description;
  });
}

}  // namespace field_detail

// The operations of one declared member; field<Member>() points its declaration here.
template <auto Member>
struct MemberOps {
  using S = typename MemberPointer<decltype(Member)>::Struct;
  using T = typename MemberPointer<decltype(Member)>::Value;

  static void read(ObjectReader& reader, const char* key, const Field<S>& field, S& object) {
    T& value = object.*Member;
    if constexpr (field_detail::HasFields<T>::value) {
      read_object(reader.child(key), value);
    } else if constexpr (field_detail::IsVariant<T>::value) {
      field_detail::read_variant(reader, key, field, value);
    } else if constexpr (std::is_enum_v<T>) {
      const int index = read_choice_index(reader, key, field);
      if (index >= 0) value = static_cast<T>(index);
    } else {
      read_value(reader, key, field, value);
    }
  }

  static void write(const char* key, const Field<S>& field, const S& object, nlohmann::json& out) {
    const T& value = object.*Member;
    if constexpr (field_detail::HasFields<T>::value) {
      out[key] = fields_to_json(value);
    } else if constexpr (field_detail::IsVariant<T>::value) {
      field_detail::write_variant(out, key, value);
    } else if constexpr (std::is_enum_v<T>) {
      out[key] = field.choices[static_cast<size_t>(value)];
    } else {
      write_value(out, key, field, value);
    }
  }

  static std::string check(const std::string& path, const Field<S>& field, const S& object) {
    const T& value = object.*Member;
    std::string problem;
    if constexpr (field_detail::HasFields<T>::value) {
      return check_fields(value, path);
    } else if constexpr (field_detail::IsVariant<T>::value) {
      return std::visit([&](const auto& own) { return check_fields(own, path.substr(0, path.rfind('.'))); },
                        value);
    } else if constexpr (std::is_enum_v<T>) {
      if (static_cast<size_t>(value) >= field.choice_count) problem = "expected one of its names";
    } else {
      problem = check_value(field, value);
    }
    return problem.empty() ? problem : path + ": " + problem;
  }

  static void describe(const std::string& path, const Field<S>& field, const S& defaults,
                       std::vector<FieldRow>& rows) {
    const T& value = defaults.*Member;
    if constexpr (field_detail::HasFields<T>::value) {
      describe_fields(value, path, rows);
      return;
    } else if constexpr (field_detail::IsVariant<T>::value) {
      field_detail::describe_variant(path, field, value, rows);
      return;
    } else if constexpr (std::is_enum_v<T>) {
      rows.push_back(finish_row(describe_choice(field, static_cast<size_t>(value)), path, field));
    } else {
      rows.push_back(finish_row(describe_value(field, value), path, field));
    }
  }

  static constexpr FieldOps<S> kOps{&read, &write, &check, &describe};
};

// ---- Struct level ----

template <class S>
void read_fields(ObjectReader& reader, S& object) {
  for (const Field<S>& f : S::fields()) {
    const char* dot = std::strchr(f.name, '.');
    if (dot == nullptr) {
      f.ops->read(reader, f.name, f, object);
      if (f.after_read != nullptr && reader.has(f.name)) f.after_read(reader, object);
      continue;
    }
    const std::string group(f.name, dot);
    ObjectReader child = reader.child(group.c_str());
    f.ops->read(child, dot + 1, f, object);
    child.finish();
  }
}

template <class S>
void write_fields(const S& object, nlohmann::json& out) {
  for (const Field<S>& f : S::fields()) {
    const char* dot = std::strchr(f.name, '.');
    if (dot == nullptr) {
      f.ops->write(f.name, f, object, out);
    } else {
      f.ops->write(dot + 1, f, object, out[std::string(f.name, dot)]);
    }
  }
}

template <class S>
std::string check_fields(const S& object, const std::string& path) {
  for (const Field<S>& f : S::fields()) {
    std::string problem = f.ops->check(path + "." + f.name, f, object);
    if (!problem.empty()) return problem;
  }
  return "";
}

template <class S>
void describe_fields(const S& defaults, const std::string& path, std::vector<FieldRow>& rows) {
  for (const Field<S>& f : S::fields()) f.ops->describe(path + "." + f.name, f, defaults, rows);
}

template <class S>
void read_object(ObjectReader reader, S& object) {
  read_fields(reader, object);
  reader.finish();
}

template <class S>
S read_config(const nlohmann::json& document, const std::string& file, const char* root) {
  S config;
  read_object(ObjectReader(document, file, root), config);
  return config;
}

template <class S>
nlohmann::json fields_to_json(const S& object) {
  nlohmann::json out = nlohmann::json::object();
  write_fields(object, out);
  return out;
}

}  // namespace npusim
