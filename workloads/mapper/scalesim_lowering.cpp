// SCALE-Sim timing-mode lowering: one compute command per fold (see scalesim_lowering.h).
#include "workloads/mapper/scalesim_lowering.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <stdexcept>
#include <vector>

#include "arch/isa/command_builders.h"
#include "arch/spec/overloaded.h"
#include "arch/timing/scalesim_timing.h"
#include "workloads/mapper/program_builder.h"
#include "workloads/mapper/vector_lowering.h"

namespace npusim {
namespace {

struct OperandTile {
  uint64_t key = 0;  // which slice of the operand; equal keys share one load
  Bytes bytes = 0;
};

// What fold `index` reads and writes, per dataflow (SCALE-Sim's operand matrices: ifmap M x K,
// filter K x N, ofmap M x N; rows_used/cols_used cover Sr/Sc of spatial_mapping()).
struct FoldData {
  OperandTile ifmap, filter;
  Bytes ofmap_bytes = 0;
};

FoldData fold_data(Dataflow dataflow, const GemmShape& g, const ScaleSimFold& f, uint64_t index, Bytes elem) {
  const uint64_t rows = f.rows_used;
  const uint64_t cols = f.cols_used;
  switch (dataflow) {
    case Dataflow::kOutputStationary:  // rows of M x all K; all K x cols of N; finished outputs
      return {{f.row_fold, rows * g.k * elem}, {f.col_fold, g.k * cols * elem}, rows * cols * elem};
    case Dataflow::kWeightStationary:  // all M x rows of K; rows of K x cols of N; M x cols partial sums
      return {{f.row_fold, g.m * rows * elem}, {index, rows * cols * elem}, g.m * cols * elem};
    case Dataflow::kInputStationary:  // cols of M x rows of K; rows of K x all N; cols of M x N partial sums
      return {{index, cols * rows * elem}, {f.row_fold, rows * g.n * elem}, cols * g.n * elem};
  }
  return {};
}

// One operand's double-buffered SRAM: loads alternate halves and wait for the last reader of theirs.
class OperandBuffer {
 public:
  OperandBuffer(BufferKind kind, bool resident, Bytes whole_bytes)
      : kind_(kind), resident_(resident), whole_bytes_(whole_bytes) {}

  void prepare(StreamEmitter& emit, uint64_t repeat, uint64_t folds, const OperandTile& tile) {
    const uint64_t key = resident_ ? repeat : repeat * folds + tile.key;
    if (load_ && key == key_) return;
    const Bytes bytes = resident_ ? whole_bytes_ : tile.bytes;
    load_ = emit.load_into(halves_, kind_, bytes);
    key_ = key;
    max_bytes_ = std::max(max_bytes_, bytes);
  }

  void read_by(uint32_t compute) { halves_.read_by(compute); }
  uint32_t load() const { return *load_; }
  Bytes max_bytes() const { return max_bytes_; }

 private:
  BufferKind kind_;
  bool resident_;
  Bytes whole_bytes_;
  DoubleBuffer halves_;
  std::optional<uint32_t> load_;  // the latest load, once there is one
  uint64_t key_ = 0;
  Bytes max_bytes_ = 0;
};

uint32_t narrow(uint64_t value, const Operator& op) {
  if (value > std::numeric_limits<uint32_t>::max()) {
    throw std::overflow_error("layer '" + op.name + "': a SCALE-Sim fold dimension exceeds 2^32");
  }
  return static_cast<uint32_t>(value);
}

ComputeTile to_tile(const GemmShape& g, const Operator& op) {
  return {narrow(g.m, op), narrow(g.n, op), narrow(g.k, op)};
}

// SCALE-Sim simulates only conv and GEMM layers; anything else runs as one vector command so a
// mixed workload still completes in this mode: pooling as window reads, elementwise ops at their cost
// per element, the rest (no GEMM view and no SCALE-Sim counterpart) as one op per output element.
VectorWork scalesim_vector_work(const Operator& op) {
  const VectorWork one_op_per_element;
  VectorWork work = std::visit(
      Overloaded{[](const PoolParams& pool) {
                   return VectorWork{VectorOpKind::kPool, 0,
                                     pool.global ? pool.in_h * pool.in_w : pool.kernel_h * pool.kernel_w};
                 },
                 [](const EltwiseParams& elt) {
                   return VectorWork{VectorOpKind::kElementwise, 0, eltwise_ops_per_element(elt.kind)};
                 },
                 [&](const ConvParams&) { return one_op_per_element; },
                 [&](const MatMulParams&) { return one_op_per_element; },
                 [&](const RowParams&) { return one_op_per_element; },
                 [&](const RotaryParams&) { return one_op_per_element; },
                 [&](const EmbeddingParams&) { return one_op_per_element; },
                 [&](const AttentionParams&) { return one_op_per_element; }},
      op.params);
  work.elements = op_output_elements(op);
  work.read_bytes = op_input_bytes(op);
  work.write_bytes = op_output_bytes(op);
  return work;
}

void lower_vector_only(const Operator& op, LayerProgram& program) {
  program.add(vector_command(scalesim_vector_work(op)), {});
  program.mapping.unit = "vector";
  program.mapping.tiles = 1;
}

void lower_folds(const Operator& op, const NpuConfig& config, LayerProgram& program) {
  const ArrayShape array{config.array.rows, config.array.cols};
  const Dataflow dataflow = config.array.dataflow;
  const GemmView view = gemm_view(op);
  const GemmShape gemm{view.m, view.n, view.k};
  const ScaleSimLayerTiming timing = scalesim_layer_timing(array, dataflow, gemm, view.gemm_count);
  const uint64_t folds = timing.row_folds * timing.col_folds;
  const Bytes elem = dtype_bytes(op.dtype);

  const Bytes ifmap_bytes = gemm.m * gemm.k * elem;
  const Bytes filter_bytes = gemm.k * gemm.n * elem;
  OperandBuffer ifmap(BufferKind::kInput,
                      scalesim_operand_resident(ifmap_bytes, config.scalesim.ifmap_sram_kb), ifmap_bytes);
  OperandBuffer filter(BufferKind::kWeight,
                       scalesim_operand_resident(filter_bytes, config.scalesim.filter_sram_kb), filter_bytes);

  const auto fold_at = [&](uint64_t i) {
    const uint64_t index = i % folds;
    const ScaleSimFold fold = scalesim_fold(array, timing.mapping, index);
    return std::make_pair(fold, fold_data(dataflow, gemm, fold, index, elem));
  };
  StreamEmitter emit(program, config.array);
  const auto prepare = [&](uint64_t i) {
    const FoldData data = fold_at(i).second;
    ifmap.prepare(emit, i / folds, folds, data.ifmap);
    filter.prepare(emit, i / folds, folds, data.filter);
  };

  std::vector<uint32_t> stores;
  Bytes max_store = 0;
  prepare(0);
  for (uint64_t i = 0; i < timing.folds; ++i) {
    const auto [fold, data] = fold_at(i);
    std::vector<uint32_t> deps{ifmap.load(), filter.load()};
    if (i >= 2) deps.push_back(stores[i - 2]);  // the ofmap half this fold writes has drained
    const ComputeTile tile = to_tile(scalesim_fold_gemm(dataflow, timing.mapping, fold), op);
    const uint32_t compute_id = program.add(compute_command(tile), deps);
    if (i == 0) program.mapping.tile = tile;
    ifmap.read_by(compute_id);
    filter.read_by(compute_id);
    if (i + 1 < timing.folds) prepare(i + 1);  // queued ahead of this fold's store: prefetch overlaps
    stores.push_back(emit.store(data.ofmap_bytes, compute_id));
    max_store = std::max(max_store, data.ofmap_bytes);
  }

  LayerMapping& mapping = program.mapping;
  mapping.unit = "array";
  mapping.tiles = timing.folds;
  mapping.folds = timing.folds;
  mapping.mapping_efficiency = timing.mapping_efficiency;
  mapping.planned_dram_read_bytes = emit.loaded_bytes();
  mapping.planned_dram_write_bytes = emit.stored_bytes();
  mapping.sram_footprint_bytes = 2 * (ifmap.max_bytes() + filter.max_bytes() + max_store);
}

}  // namespace

LayerProgram lower_scalesim_layer(const Operator& op, uint32_t op_index, const NpuConfig& config) {
  LayerProgram program = new_layer_program(op, op_index);
  program.mapping.loop_order = "scalesim";
  if (has_gemm_view(op)) {
    lower_folds(op, config, program);
  } else {
    lower_vector_only(op, program);
  }
  return program;
}

}  // namespace npusim
