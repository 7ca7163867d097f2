// What the hardware asks of a mapping: operand types the MAC array supports, tiles aligned to the
// array's sides, and the errors when a layer cannot be mapped (unsupported type, SRAM too small).
#pragma once

#include <cstdint>

#include "arch/spec/npu_config.h"
#include "arch/spec/units.h"
#include "workloads/ir/operator.h"

namespace npusim {

// Throws InputError (npu.array.dtypes) when the array has no datapath for the operator's type.
void check_array_dtype(const Operator& op, const ArrayConfig& array);

// Alignment of the GEMM dimensions when tiled or split over cores: the array side a dimension is
// mapped on (so only the last piece leaves PEs idle), or 1 for the dimension streamed in time. Asking
// spatial_mapping keeps this in step with the timing model's dataflow table.
struct ArrayAlignment {
  uint64_t m = 1, n = 1, k = 1;
};
ArrayAlignment array_alignment(const ArrayConfig& array);

// The error for an operator whose smallest double-buffered tile exceeds the SRAM (vector ops too).
[[noreturn]] void throw_sram_too_small(const Operator& op, Bytes needed, Bytes available);

}  // namespace npusim
