// Multi-core mapping: splits an operator into per-core parts (output rows/M, output channels/N, batch,
// groups or attention heads), lowers each part with the single-core mapper, and keeps the split whose estimated
// layer time is lowest. Also places activations in the shared global SRAM when the NPU has one.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"
#include "arch/isa/command_stream.h"

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
// query heads. Operator kinds not listed are split by batch only.
std::vector<CorePartition> partition_candidates(const Operator& op, const NpuConfig& config);

// Estimated cycles of one layer whose cores run `streams` together: the slowest core
// (max(array, vector) work vs its DMA bytes over the bandwidth it can draw, plus one transfer's worth
// that cannot overlap, plus setup and DRAM latency) or all cores' DRAM bytes over the DRAM bandwidth,
// whichever is longer. Bandwidth a core can draw = min(DMA port, DRAM, NoC links into the core).
struct PartitionEstimate {
  double cycles = 0.0;
  Bytes dram_bytes = 0;
};
PartitionEstimate estimate_streams(const std::vector<const CommandStream*>& streams, const NpuConfig& config);

// map_operator on one core; on several, the best candidate: the lowest estimate, then (within 2%)
// the fewest DRAM bytes, then the earlier candidate. Fills mapping.split and mapping.cores_used.
LayerProgram map_operator_on_cores(const Operator& op, uint32_t op_index, const NpuConfig& config);

// With a global SRAM (npu.global_sram.capacity_bytes > 0): an operator's output stays in the global
// SRAM, instead of going to DRAM, when it fits next to every tensor still live there (a tensor lives
// until its last consumer has run); a consumer whose inputs are all resident loads them from there.
// Stores of the output and loads of the inputs are retargeted per layer (MemoryKind::kGlobalSram);
// weights always come from DRAM. The first operator's inputs and the network's outputs stay in DRAM.
void place_activations_in_global_sram(const Workload& workload, std::vector<LayerProgram>& programs,
                                      const NpuConfig& config);

}  // namespace npusim
