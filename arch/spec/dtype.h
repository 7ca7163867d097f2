// Element data types shared by the workload IR, configs and timing models.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace npusim {

// kFp8 is E4M3 (weights and activations) with one fp32 scale per tensor: the scales are a few bytes
// per layer and are not modelled as traffic.
enum class DType : uint8_t { kInt8, kFp16, kBf16, kFp32, kFp8 };

constexpr uint32_t dtype_bytes(DType dtype) {
  switch (dtype) {
    case DType::kInt8:
    case DType::kFp8:
      return 1;
    case DType::kFp16:
    case DType::kBf16:
      return 2;
    case DType::kFp32:
      return 4;
  }
  return 4;
}

// Accumulators are wider than operands: int8 accumulates in int32, floats (fp8 included) in fp32.
constexpr uint32_t accumulator_bytes(DType) { return 4; }

std::string_view dtype_name(DType dtype);
std::optional<DType> parse_dtype(std::string_view name);
// "int8, fp8, fp16, bf16, fp32": for error messages.
std::string known_dtype_names();
// The same names as a list (the keys of per-dtype config maps).
std::vector<std::string> dtype_names();

}  // namespace npusim
