// The workload spec a user types, `NAME[:key=value,...]`, and its typed, validated parameter getters.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "arch/spec/dtype.h"

namespace npusim {

// Errors about a spec name this pseudo-file; the field path is "<name>.<key>".
inline constexpr const char* kWorkloadSpecFile = "<workload>";

struct WorkloadSpec {
  std::string name;
  std::map<std::string, std::string> params;  // ordered: the canonical text is deterministic
};

// "resnet50:batch=4,dtype=bf16" -> {name "resnet50", params {batch: 4, dtype: bf16}}. Whitespace around
// tokens is ignored; an empty name or key, a missing '=', an empty value or a repeated key throws.
WorkloadSpec parse_workload_spec(const std::string& text);
// The canonical text of a spec (keys sorted), e.g. for Workload::source.
std::string format_workload_spec(const WorkloadSpec& spec);

// Throws InputError at "<name>.<key>" for the first key not in known_keys, listing the known ones.
// Every builder calls this with exactly the keys it reads, so typos never pass silently.
void reject_unknown_keys(const WorkloadSpec& spec, const std::vector<std::string>& known_keys);

// Typed getters. A missing key yields default_value; with no default (std::nullopt) the key is required.
// Bad text throws InputError at "<name>.<key>" saying what was expected.
uint32_t param_positive_u32(const WorkloadSpec& spec, const std::string& key,
                            std::optional<uint32_t> default_value);
uint32_t param_u32(const WorkloadSpec& spec, const std::string& key, std::optional<uint32_t> default_value);
uint64_t param_positive_u64(const WorkloadSpec& spec, const std::string& key,
                            std::optional<uint64_t> default_value);
bool param_bool(const WorkloadSpec& spec, const std::string& key, bool default_value);
DType param_dtype(const WorkloadSpec& spec, const std::string& key, DType default_value);

// For a builder's own semantic checks ("resolution must be a multiple of 32").
[[noreturn]] void throw_spec_error(const WorkloadSpec& spec, const std::string& key,
                                   const std::string& message);

}  // namespace npusim
