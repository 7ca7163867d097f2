#include "arch/spec/dtype.h"

#include <array>
#include <utility>

namespace npusim {
namespace {
constexpr std::array<std::pair<DType, std::string_view>, 5> kDTypeNames{{{DType::kInt8, "int8"},
                                                                          {DType::kFp8, "fp8"},
                                                                          {DType::kFp16, "fp16"},
                                                                          {DType::kBf16, "bf16"},
                                                                          {DType::kFp32, "fp32"}}};
}  // namespace

std::string_view dtype_name(DType dtype) {
  for (const auto& [value, name] : kDTypeNames) {
    if (value == dtype) return name;
  }
  return "?";
}

std::optional<DType> parse_dtype(std::string_view name) {
  for (const auto& [value, known] : kDTypeNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::vector<std::string> dtype_names() {
  std::vector<std::string> names;
  for (const auto& entry : kDTypeNames) names.emplace_back(entry.second);
  return names;
}

std::string known_dtype_names() {
  std::string out;
  for (const auto& entry : kDTypeNames) {
    if (!out.empty()) out += ", ";
    out += entry.second;
  }
  return out;
}

}  // namespace npusim
