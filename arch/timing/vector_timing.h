// Vector-unit arithmetic (no SystemC): one command = pipeline latency + elements*ops over the lanes.
#pragma once

#include <cstdint>

#include "arch/spec/npu_config.h"
#include "arch/spec/units.h"

namespace npusim {

uint64_t vector_ops(uint64_t elements, uint32_t ops_per_element);

// latency_cycles + ceil(elements * ops_per_element / lanes).
Cycles vector_op_cycles(const VectorConfig& vector, uint64_t elements, uint32_t ops_per_element);

}  // namespace npusim
