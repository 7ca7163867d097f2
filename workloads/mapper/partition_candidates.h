// Multi-core mapping, the search space: the ways to split one operator into per-core parts (output
// rows/M, output channels/N, batch, groups or attention heads) on 2, 4, ... of the NPU's cores.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"

namespace npusim {

enum class SplitKind : uint8_t { kNone, kM, kN, kBatch, kGroups, kHeads };
const char* split_kind_name(SplitKind kind);  // "none", "m", "n", "batch", "groups", "heads"

// [begin, end) ranges covering [0, extent) in at most `parts` pieces whose sizes are multiples of
// `align` (but the last): units = ceil(extent / align) are dealt out as evenly as possible, the first
// ranges taking one more unit. Fewer ranges than `parts` when there are fewer units.
std::vector<std::pair<uint64_t, uint64_t>> split_extent(uint64_t extent, uint32_t parts, uint64_t align);

// One way to run an operator on several cores: core i runs parts[i] (a smaller operator of the same kind).
struct CorePartition {
  SplitKind kind = SplitKind::kNone;
  std::vector<Operator> parts;
};

// Every split worth estimating on config.cores cores, kNone (the whole operator on core 0) first.
// M for conv/pooling = bands of output rows (inputs include the halo), for FC/matmul = rows of A, for
// elementwise = elements, for softmax/norms = rows, for rotary/embedding = tokens; N = output channels
// or columns; batch = images or sequences; groups = conv groups; heads = attention K/V heads with their
// query heads. Every operator kind is also split by batch (when its batch is not GEMM rows).
std::vector<CorePartition> partition_candidates(const Operator& op, const NpuConfig& config);

}  // namespace npusim
