#include "arch/timing/vector_timing.h"

#include <stdexcept>

namespace npusim {

uint64_t vector_ops(uint64_t elements, uint32_t ops_per_element) { return elements * ops_per_element; }

Cycles vector_op_cycles(const VectorConfig& vector, uint64_t elements, uint32_t ops_per_element) {
  if (vector.lanes == 0) throw std::invalid_argument("vector_op_cycles: zero lanes");
  return vector.latency_cycles + ceil_div(vector_ops(elements, ops_per_element), vector.lanes);
}

}  // namespace npusim
