// What every lowering builds a layer program with: the program's header (the operator's identity), the
// double-buffer bookkeeping of SRAM slots, command emission that counts the work it adds (array folds
// and PE use, DMA bytes), and the sum of several parts' mappings (phases of a layer, or its cores).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "arch/isa/command_stream.h"
#include "arch/spec/npu_config.h"
#include "workloads/ir/operator.h"

namespace npusim {

// A layer program for `op` with its identity filled in (index, name, dtype, MACs) and no commands yet.
LayerProgram new_layer_program(const Operator& op, uint32_t op_index);

// Gives `to` (no commands yet) the command and dependency buffers of `from`, emptied but with their
// capacity: a search that emits several candidate programs then allocates (and faults in) memory once.
void reuse_buffers(CommandStream& from, CommandStream& to);

// Two SRAM slots for one buffer (operand or output). Refilling a slot must wait for the last command
// that read its previous contents (write-after-read), i.e. the reader from two fills earlier; the other
// slot meanwhile serves the current tile.
class DoubleBuffer {
 public:
  // Moves to the next slot; returns the command its new contents must wait for, if any.
  std::optional<uint32_t> acquire() {
    slot_ ^= 1U;
    const std::optional<uint32_t> reader = last_reader_[slot_];
    last_reader_[slot_].reset();
    return reader;
  }
  // Command `id` reads the current slot (later readers replace earlier ones).
  void read_by(uint32_t id) { last_reader_[slot_] = id; }

 private:
  std::array<std::optional<uint32_t>, 2> last_reader_;
  uint32_t slot_ = 1;  // the first acquire takes slot 0
};

// Appends commands to one stream and counts what they add up to.
class StreamEmitter {
 public:
  StreamEmitter(CommandStream& stream, const ArrayConfig& array) : stream_(stream), array_(array) {}

  // A DRAM load into `buffer` that waits for `after` (the last reader of the slot it fills), if any.
  uint32_t load(BufferKind buffer, Bytes bytes, std::optional<uint32_t> after = std::nullopt);
  // A load into the next slot of `slots`.
  uint32_t load_into(DoubleBuffer& slots, BufferKind buffer, Bytes bytes) {
    return load(buffer, bytes, slots.acquire());
  }
  // A store of the output region to DRAM after command `after`.
  uint32_t store(Bytes bytes, uint32_t after);
  // One m x n x k array tile; counts its folds and the PEs they use.
  uint32_t compute(uint64_t m, uint64_t n, uint64_t k, const std::vector<uint32_t>& deps);
  uint32_t vector(const VectorWork& work, const std::vector<uint32_t>& deps);
  uint32_t sync(const std::vector<uint32_t>& deps);

  uint64_t compute_tiles() const { return compute_tiles_; }
  uint64_t folds() const { return folds_; }
  // Used PEs over allocated PEs, over every fold so far.
  double mapping_efficiency() const;
  Bytes loaded_bytes() const { return loaded_bytes_; }
  Bytes stored_bytes() const { return stored_bytes_; }
  // mapping.tiles, folds and mapping_efficiency from the array work emitted.
  void report_array_work(LayerMapping& mapping) const;

 private:
  CommandStream& stream_;
  const ArrayConfig& array_;
  uint64_t compute_tiles_ = 0, folds_ = 0, used_pe_folds_ = 0;
  Bytes loaded_bytes_ = 0, stored_bytes_ = 0;
  std::optional<ComputeTile> last_tile_;  // the previous tile's shape, folds and used PEs
  uint64_t last_tile_folds_ = 0, last_tile_used_pes_ = 0;
};

// The mapping of a layer made of parts (the phases of an unfused layer, or the cores of a split one):
// tiles, folds and planned DRAM bytes add up, the SRAM footprint is the largest part's, the mapping
// efficiency is the fold-weighted mean.
class MappingSum {
 public:
  void add(const LayerMapping& part, bool count_tiles = true);
  // Writes the sums into `mapping`; its other fields are left as they are.
  void fill(LayerMapping& mapping) const;

 private:
  uint64_t tiles_ = 0, folds_ = 0;
  double used_pe_folds_ = 0.0;
  Bytes read_bytes_ = 0, write_bytes_ = 0, footprint_bytes_ = 0;
};

}  // namespace npusim
