// Element data types shared by the workload IR, configs and timing models.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace npusim {

enum class DType : uint8_t { kInt8, kFp16, kBf16, kFp32 };

constexpr uint32_t dtype_bytes(DType dtype) {
  switch (dtype) {
    case DType::kInt8:
      return 1;
    case DType::kFp16:
    case DType::kBf16:
      return 2;
    case DType::kFp32:
      return 4;
  }
  return 4;
}

// Accumulators are wider than operands: int8 accumulates in int32, floats in fp32.
constexpr uint32_t accumulator_bytes(DType) { return 4; }

std::string_view dtype_name(DType dtype);
std::optional<DType> parse_dtype(std::string_view name);
// "int8, fp16, bf16, fp32": for error messages.
std::string known_dtype_names();

}  // namespace npusim
