// One declaration per config field (gem5's Param, Timeloop's ParseSpecs): name, unit, range, description
// and source beside the struct that holds it. Parsing, range checks, the resolved JSON and the README's
// field table are all derived from these declarations by config_field_ops.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace npusim {

class ObjectReader;

// The sign a number must have; integers are never negative, so kAny and kNonNegative agree for them.
enum class Bound : uint8_t { kAny, kNonNegative, kPositive };

// The plain-data part of a field declaration, shared by every struct's fields.
struct FieldInfo {
  const char* name = "";         // JSON key; "a.b" reads key b of the sub-object a (one field per group)
  const char* unit = "";         // "" for counts, flags and names
  const char* description = "";  // one line, for the README's field table
  const char* source = "";       // P/S/D/E tag of the default (REFERENCE.md), where it has one
  Bound bound = Bound::kAny;
  double min = 0.0;  // closed range [min, max] beyond the bound, used when min < max
  double max = 0.0;
  const char* range_reason = "";         // why the range holds, for the error message
  const char* const* choices = nullptr;  // an enum's names, in the enum's order
  size_t choice_count = 0;
  std::vector<std::string> (*keys)() = nullptr;  // the keys a map field may hold
  const char* kind_noun = "";                    // a variant's kind in messages: "NoC"
};

// One row of the field table (`npusim validate --fields`).
struct FieldRow {
  std::string path, type, unit, default_value, range, description;
};

template <class S>
struct Field;

// What a declared field can do with the struct holding it (one instance per member, in config_field_ops.h).
template <class S>
struct FieldOps {
  void (*read)(ObjectReader& reader, const char* key, const Field<S>& field, S& object);
  void (*write)(const char* key, const Field<S>& field, const S& object, nlohmann::json& out);
  std::string (*check)(const std::string& path, const Field<S>& field, const S& object);  // "" when fine
  void (*describe)(const std::string& path, const Field<S>& field, const S& defaults,
                   std::vector<FieldRow>& rows);
};

template <class S>
struct Field : FieldInfo {
  const FieldOps<S>* ops = nullptr;
  // Runs after the field was read when its key was present (dram.preset loads its file here).
  void (*after_read)(ObjectReader& reader, S& object) = nullptr;

  constexpr Field positive() const {
    Field f = *this;
    f.bound = Bound::kPositive;
    return f;
  }
  constexpr Field non_negative() const {
    Field f = *this;
    f.bound = Bound::kNonNegative;
    return f;
  }
  constexpr Field within(double low, double high, const char* reason) const {
    Field f = *this;
    f.min = low;
    f.max = high;
    f.range_reason = reason;
    return f;
  }
  template <size_t N>
  constexpr Field one_of(const char* const (&names)[N]) const {
    Field f = *this;
    f.choices = names;
    f.choice_count = N;
    return f;
  }
  constexpr Field keyed_by(std::vector<std::string> (*key_list)()) const {
    Field f = *this;
    f.keys = key_list;
    return f;
  }
  constexpr Field kinds_called(const char* noun) const {
    Field f = *this;
    f.kind_noun = noun;
    return f;
  }
  constexpr Field sourced(const char* tag) const {
    Field f = *this;
    f.source = tag;
    return f;
  }
  constexpr Field then(void (*hook)(ObjectReader&, S&)) const {
    Field f = *this;
    f.after_read = hook;
    return f;
  }
};

// The struct and member types of a pointer to data member.
template <class P>
struct MemberPointer;
template <class S, class T>
struct MemberPointer<T S::*> {
  using Struct = S;
  using Value = T;
};

template <auto Member>
struct MemberOps;  // defined in config_field_ops.h

// Declares field `Member` under JSON key `name`: field<&SramConfig::banks>("banks", "", "banks per core").
template <auto Member>
constexpr Field<typename MemberPointer<decltype(Member)>::Struct> field(const char* name, const char* unit,
                                                                        const char* description) {
  Field<typename MemberPointer<decltype(Member)>::Struct> f;
  f.name = name;
  f.unit = unit;
  f.description = description;
  f.ops = &MemberOps<Member>::kOps;
  return f;
}

// The README's Markdown table for rows (header included).
std::string fields_markdown(const std::vector<FieldRow>& rows);

}  // namespace npusim
