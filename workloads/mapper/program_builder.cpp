// Layer-program building blocks shared by the lowerings (see program_builder.h).
#include "workloads/mapper/program_builder.h"

#include <algorithm>

#include "arch/isa/command_builders.h"
#include "arch/timing/systolic_timing.h"

namespace npusim {

LayerProgram new_layer_program(const Operator& op, uint32_t op_index) {
  LayerProgram program;
  program.op_index = op_index;
  program.name = op.name;
  program.dtype = op.dtype;
  program.macs = op_macs(op);
  return program;
}

void reuse_buffers(CommandStream& from, CommandStream& to) {
  from.commands.clear();
  from.deps.clear();
  to.commands.swap(from.commands);
  to.deps.swap(from.deps);
}

uint32_t StreamEmitter::load(BufferKind buffer, Bytes bytes, std::optional<uint32_t> after) {
  loaded_bytes_ += bytes;
  const Command command = dma_load_command(buffer, bytes);
  return after ? stream_.add(command, {*after}) : stream_.add(command, {});
}

uint32_t StreamEmitter::store(Bytes bytes, uint32_t after) {
  stored_bytes_ += bytes;
  return stream_.add(dma_store_command(bytes), {after});
}

uint32_t StreamEmitter::compute(uint64_t m, uint64_t n, uint64_t k, const std::vector<uint32_t>& deps) {
  const ComputeTile tile{static_cast<uint32_t>(m), static_cast<uint32_t>(n), static_cast<uint32_t>(k)};
  // A stream repeats one tile shape: its folds and PE use are worked out when the shape changes.
  if (last_tile_ != tile) {
    const SpatialMapping mapping = spatial_mapping(array_.dataflow, GemmShape{m, n, k});
    last_tile_ = tile;
    last_tile_folds_ = fold_count(ArrayShape{array_.rows, array_.cols}, mapping);
    last_tile_used_pes_ = mapping.sr * mapping.sc;
  }
  folds_ += last_tile_folds_;
  used_pe_folds_ += last_tile_used_pes_;
  ++compute_tiles_;
  return stream_.add(compute_command(tile), deps);
}

uint32_t StreamEmitter::vector(const VectorWork& work, const std::vector<uint32_t>& deps) {
  return stream_.add(vector_command(work), deps);
}

uint32_t StreamEmitter::sync(const std::vector<uint32_t>& deps) { return stream_.add(sync_command(), deps); }

double StreamEmitter::mapping_efficiency() const {
  const double allocated = static_cast<double>(folds_) * array_.rows * array_.cols;
  return allocated > 0 ? static_cast<double>(used_pe_folds_) / allocated : 0.0;
}

void StreamEmitter::report_array_work(LayerMapping& mapping) const {
  mapping.tiles = compute_tiles_;
  mapping.folds = folds_;
  mapping.mapping_efficiency = mapping_efficiency();
}

void MappingSum::add(const LayerMapping& part, bool count_tiles) {
  if (count_tiles) tiles_ += part.tiles;
  folds_ += part.folds;
  used_pe_folds_ += part.mapping_efficiency * static_cast<double>(part.folds);
  read_bytes_ += part.planned_dram_read_bytes;
  write_bytes_ += part.planned_dram_write_bytes;
  footprint_bytes_ = std::max(footprint_bytes_, part.sram_footprint_bytes);
}

void MappingSum::fill(LayerMapping& mapping) const {
  mapping.tiles = tiles_;
  mapping.folds = folds_;
  mapping.mapping_efficiency = folds_ > 0 ? used_pe_folds_ / static_cast<double>(folds_) : 0.0;
  mapping.planned_dram_read_bytes = read_bytes_;
  mapping.planned_dram_write_bytes = write_bytes_;
  mapping.sram_footprint_bytes = footprint_bytes_;
}

}  // namespace npusim
