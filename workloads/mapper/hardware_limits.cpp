// Mapping constraints from the array and the SRAM (see hardware_limits.h).
#include "workloads/mapper/hardware_limits.h"

#include <algorithm>
#include <string>

#include "arch/spec/input_error.h"
#include "arch/timing/systolic_timing.h"

namespace npusim {

void check_array_dtype(const Operator& op, const ArrayConfig& array) {
  if (std::find(array.dtypes.begin(), array.dtypes.end(), op.dtype) != array.dtypes.end()) return;
  std::string supported;
  for (DType dtype : array.dtypes) {
    if (!supported.empty()) supported += ", ";
    supported += dtype_name(dtype);
  }
  throw InputError("<npu>", "npu.array.dtypes",
                   "operator '" + op.name + "' uses " + std::string(dtype_name(op.dtype)) +
                       ", array supports: " + supported);
}

ArrayAlignment array_alignment(const ArrayConfig& array) {
  // A probe GEMM with distinct extents m=1, n=2, k=3 shows which dimension lands on which side.
  const SpatialMapping probe = spatial_mapping(array.dataflow, GemmShape{1, 2, 3});
  const auto side = [&](uint64_t dim) -> uint64_t {
    if (probe.sr == dim) return array.rows;
    if (probe.sc == dim) return array.cols;
    return 1;
  };
  return {side(1), side(2), side(3)};
}

void throw_sram_too_small(const Operator& op, Bytes needed, Bytes available) {
  throw InputError("<npu>", "npu.sram.capacity_bytes",
                   "operator '" + op.name + "' needs " + std::to_string(needed) +
                       " bytes of SRAM for its smallest double-buffered tile, but only " +
                       std::to_string(available) + " bytes are available");
}

}  // namespace npusim
