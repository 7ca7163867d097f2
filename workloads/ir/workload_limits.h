// The sizes a workload may state, checked before anything maps, allocates or searches: a batch of 1e9
// or a 4e9-wide GEMM is a typo that would otherwise hang the tiling search or exhaust memory. Every
// importer and the zoo produce operators; the mapper's entry checks them all (check_workload_limits).
#pragma once

#include <cstdint>

#include "workloads/ir/operator.h"

namespace npusim {

constexpr uint64_t kMaxBatch = uint64_t{1} << 20;            // items per operator (--batch caps at 1e6)
constexpr uint64_t kMaxDimension = uint64_t{1} << 24;        // any one extent: channels, m, n, k, tokens
constexpr double kMaxOperatorMacs = 1152921504606846976.0;   // 2^60 multiply-accumulates per operator
constexpr double kMaxOperatorBytes = 1099511627776.0 * 16;   // 16 TiB moved per operator
constexpr uint64_t kMaxOperators = uint64_t{1} << 20;

// Throws InputError(workload.source, "<operator name>.<field>", why) for the first operator beyond a
// limit; the arithmetic is done in long double so no product overflows on the way.
void check_workload_limits(const Workload& workload);

}  // namespace npusim
