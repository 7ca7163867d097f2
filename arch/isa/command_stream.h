// The mapper's output: per-layer command streams (DMA load, compute tile, vector op, store, sync)
// with explicit dependencies, as a real NPU's descriptor queues would hold them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "arch/spec/dtype.h"
#include "arch/spec/units.h"

namespace npusim {

enum class CommandKind : uint8_t { kDmaLoad, kDmaStore, kCompute, kVector, kSync };
const char* command_kind_name(CommandKind kind);

// Which scratchpad region a transfer fills or drains (statistics and SRAM occupancy).
enum class BufferKind : uint8_t { kInput, kWeight, kOutput };

// The far end of a DMA transfer: off-chip DRAM or the shared global SRAM (both reached over the NoC).
enum class MemoryKind : uint8_t { kDram, kGlobalSram };

// One GEMM tile on the MAC array: out[m x n] (+)= a[m x k] * b[k x n].
struct ComputeTile {
  uint32_t m = 0, n = 0, k = 0;
  bool operator==(const ComputeTile& other) const { return m == other.m && n == other.n && k == other.k; }
  bool operator!=(const ComputeTile& other) const { return !(*this == other); }
};

enum class VectorOpKind : uint8_t {
  kElementwise,   // ops_per_element ALU ops per output element
  kPool,          // window reads per output element
  kDepthwise,     // MACs per output element (kernel_h * kernel_w)
  kActivation,    // activation applied on store when not fused into the array's output path
};

struct VectorWork {
  VectorOpKind kind = VectorOpKind::kElementwise;
  uint64_t elements = 0;        // output elements
  uint32_t ops_per_element = 1;
  Bytes read_bytes = 0;         // SRAM bytes read
  Bytes write_bytes = 0;        // SRAM bytes written
};

struct Command {
  CommandKind kind = CommandKind::kSync;
  BufferKind buffer = BufferKind::kInput;  // DMA only
  MemoryKind memory = MemoryKind::kDram;   // DMA only
  Bytes bytes = 0;                         // DMA only: bytes moved between DRAM and SRAM
  ComputeTile tile;                        // compute only
  VectorWork vector;                       // vector only
  uint32_t dep_begin = 0;                  // dependencies: deps[dep_begin, dep_begin + dep_count)
  uint32_t dep_count = 0;                  // ids of earlier commands in the same layer
};

// How a layer was lowered: reported so an architect can see why it took the time it did.
struct LayerMapping {
  std::string unit;          // "array" or "vector"
  std::string loop_order;    // e.g. "n-k-m": outermost first
  ComputeTile tile;          // chosen tile (array layers)
  uint64_t tiles = 0;        // compute or vector commands
  uint64_t folds = 0;        // array folds over all tiles
  double mapping_efficiency = 0.0;  // used PEs / (folds * rows * cols)
  Bytes planned_dram_read_bytes = 0;
  Bytes planned_dram_write_bytes = 0;
  Bytes sram_footprint_bytes = 0;   // double-buffered working set (per core when split)
  // The mapper's closed-form estimate of the layer's cycles (all cores), to hold against the simulation.
  double estimated_cycles = 0.0;
  // Multi-core: how the operator was partitioned ("none", "m" output rows, "n" output channels,
  // "batch", "groups") and over how many cores; tile/tiles/folds above describe core 0's part.
  std::string split = "none";
  uint32_t cores_used = 1;
};

// A layer needing more commands than this on one core is refused rather than simulated: 4 Mi commands
// take ~250 MB and minutes; real layers on real arrays need thousands. Caught by the mapper and reported
// as an input error naming the layer.
constexpr size_t kMaxCommandsPerStream = size_t{1} << 22;
struct CommandLimitExceeded : std::length_error {
  CommandLimitExceeded() : std::length_error("a layer program exceeds kMaxCommandsPerStream commands") {}
};

// One core's commands for one layer; dependencies name commands of the same stream.
struct CommandStream {
  std::vector<Command> commands;
  std::vector<uint32_t> deps;  // flat dependency lists, see Command::dep_begin

  // Appends a command; deps must name earlier commands. Returns its id.
  uint32_t add(Command command, std::initializer_list<uint32_t> dependencies);
  uint32_t add(Command command, const std::vector<uint32_t>& dependencies);
  uint32_t add(Command command, const uint32_t* first_dep, size_t dep_count);
};

// A layer: core 0's stream (the whole layer on one core) in the base, the other cores' streams in
// more_cores. Cores synchronise at layer boundaries: the next layer starts when every core is done.
struct LayerProgram : CommandStream {
  uint32_t op_index = 0;
  std::string name;
  DType dtype = DType::kInt8;
  uint64_t macs = 0;
  LayerMapping mapping;
  std::vector<CommandStream> more_cores;  // cores 1.. of a split layer; empty on one core

  uint32_t streams() const { return 1 + static_cast<uint32_t>(more_cores.size()); }
  const CommandStream& stream(uint32_t core) const { return core == 0 ? *this : more_cores[core - 1]; }
  size_t total_commands() const;
};

}  // namespace npusim
