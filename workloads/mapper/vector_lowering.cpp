// Vector-unit lowering: chunking search and command emission (see vector_lowering.h).
#include "workloads/mapper/vector_lowering.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "workloads/mapper/gemm_search_space.h"
#include "workloads/mapper/hardware_limits.h"
#include "workloads/mapper/program_builder.h"
#include "workloads/mapper/vector_costs.h"

namespace npusim {

uint32_t eltwise_ops_per_element(EltwiseKind kind) { return eltwise_vector_ops(kind); }

namespace {

// The op as output chunks: output-pixel tilings (a_units = input pixels per channel, halo included)
// times channel chunks. A flat elementwise op is one "channel" of `elements` pixels; a row op
// (softmax, norms, rotary, embedding) tiles whole rows, its width being the one channel chunk.
struct VectorProblem {
  VectorOpKind kind = VectorOpKind::kElementwise;
  uint32_t ops_per_element = 1;
  uint32_t inputs = 1;  // tensors read (2 for a residual add)
  uint64_t channels = 1;
  uint32_t elem_bytes = 1;
  Bytes weight_bytes_per_channel = 0;  // depthwise kernels, norm gamma/beta: loaded once, stay resident
  Bytes side_bytes_per_unit = 0;       // a small per-row input: rotary's cos/sin row, embedding ids
  Bytes gather_bytes_per_unit = 0;     // embedding: the table row each id selects, loaded after the ids
  std::vector<MTiling> spatial;
  std::vector<uint64_t> channel_sizes{1};
};

void set_windowed(VectorProblem& p, const WindowGeometry& g, uint64_t channels, uint32_t lanes) {
  p.ops_per_element = g.kernel_h * g.kernel_w;
  p.channels = channels;
  p.spatial = window_m_tilings(g);
  p.channel_sizes = aligned_tile_sizes(channels, lanes);
}

// Whole rows of `width` elements per chunk, `rows` in all.
void set_rows(VectorProblem& p, uint64_t rows, uint64_t width) {
  p.channels = width;
  p.channel_sizes = {width};
  for (uint64_t tile : aligned_tile_sizes(rows, 1)) p.spatial.push_back(uniform_m_tiling(rows, tile));
}

// What each operator kind streams through the vector unit; one overload per kind of params, so a new
// kind fails to compile until it says how it runs here.
void describe(VectorProblem& p, const Operator& op, const RowParams& row, const NpuConfig&) {
  p.ops_per_element = vector_ops_per_element(op);
  set_rows(p, op.batch * row.rows, row.width);
  if (op.kind != OpKind::kSoftmax) p.weight_bytes_per_channel = op_weight_bytes(op) / row.width;
}

void describe(VectorProblem& p, const Operator& op, const RotaryParams& rope, const NpuConfig&) {
  p.ops_per_element = vector_ops_per_element(op);
  set_rows(p, op.batch * rope.tokens, uint64_t{rope.heads} * rope.head_dim);
  p.side_bytes_per_unit = uint64_t{rope.head_dim} * p.elem_bytes;
}

void describe(VectorProblem& p, const Operator& op, const EmbeddingParams& emb, const NpuConfig&) {
  p.ops_per_element = vector_ops_per_element(op);
  p.inputs = 0;  // no activation tensor: ids in, gathered rows in, rows out
  set_rows(p, op.batch * emb.tokens, emb.width);
  p.side_bytes_per_unit = op_input_bytes(op) / (op.batch * emb.tokens);
  p.gather_bytes_per_unit = emb.width * p.elem_bytes;
}

void describe(VectorProblem& p, const Operator& op, const EltwiseParams& elt, const NpuConfig& config) {
  p.ops_per_element = eltwise_ops_per_element(elt.kind);
  p.inputs = elt.inputs;
  const uint64_t elements = uint64_t{op.batch} * elt.elements;
  for (uint64_t tile : aligned_tile_sizes(elements, config.vector.lanes)) {
    p.spatial.push_back(uniform_m_tiling(elements, tile));
  }
}

void describe(VectorProblem& p, const Operator& op, const PoolParams& pool, const NpuConfig& config) {
  p.kind = VectorOpKind::kPool;  // ops_per_element = window reads
  set_windowed(p, pool_window(op, pool), pool.channels, config.vector.lanes);
}

// Depthwise conv (with vector.depthwise_on_vector).
void describe(VectorProblem& p, const Operator& op, const ConvParams& conv, const NpuConfig& config) {
  p.kind = VectorOpKind::kDepthwise;  // ops_per_element = kernel MACs
  set_windowed(p, conv_window(op, conv), conv.in_c, config.vector.lanes);
  p.weight_bytes_per_channel = uint64_t{conv.kernel_h} * conv.kernel_w * p.elem_bytes;
}

// Matmuls and attention always run on the array (operator_lowering.cpp never sends them here).
void describe(VectorProblem&, const Operator& op, const MatMulParams&, const NpuConfig&) {
  throw std::logic_error("matmul '" + op.name + "' lowered to the vector unit");
}
void describe(VectorProblem&, const Operator& op, const AttentionParams&, const NpuConfig&) {
  throw std::logic_error("attention '" + op.name + "' lowered to the vector unit");
}

VectorProblem make_vector_problem(const Operator& op, const NpuConfig& config) {
  VectorProblem p;
  p.elem_bytes = dtype_bytes(op.dtype);
  std::visit([&](const auto& params) { describe(p, op, params, config); }, op.params);
  return p;
}

uint64_t sum_m_units(const MTiling& tiling) {
  uint64_t sum = 0;
  for (const MTileRun& run : tiling.runs) sum += run.count * run.tile.m;
  return sum * tiling.repeat;
}

struct VectorPlan {
  const MTiling* spatial = nullptr;
  uint64_t channel_tile = 0;
  uint64_t chunks = 0;
  Bytes out_chunk_bytes = 0;
  Bytes read_bytes = 0;
  Bytes footprint_bytes = 0;
};

VectorPlan evaluate(const VectorProblem& p, const MTiling& spatial, uint64_t channel_tile) {
  const Bytes weights = p.weight_bytes_per_channel * p.channels;
  const Bytes in_chunk =
      spatial.max_a_units * (channel_tile * p.inputs * p.elem_bytes + p.side_bytes_per_unit) +
      spatial.max_m * p.gather_bytes_per_unit;
  VectorPlan plan;
  plan.spatial = &spatial;
  plan.channel_tile = channel_tile;
  plan.chunks = spatial.tiles * ceil_div(p.channels, channel_tile);
  plan.out_chunk_bytes = spatial.max_m * channel_tile * p.elem_bytes;
  plan.read_bytes = spatial.sum_a_units * (p.channels * p.inputs * p.elem_bytes + p.side_bytes_per_unit) +
                    sum_m_units(spatial) * p.gather_bytes_per_unit + weights;
  plan.footprint_bytes = weights + 2 * (in_chunk + plan.out_chunk_bytes);
  return plan;
}

// Chunk size does not change traffic except through halos, so it is chosen for overlap: the fewest
// chunks no larger than max(output / kVectorTargetChunks, kVectorMinChunkBytes); if none is that small,
// the smallest chunk that fits. Less halo traffic breaks ties.
VectorPlan plan_vector(const VectorProblem& p, const NpuConfig& config, const Operator& op) {
  const Bytes output_bytes = op_output_bytes(op);
  const Bytes chunk_cap = std::max(ceil_div(output_bytes, kVectorTargetChunks), kVectorMinChunkBytes);
  const auto key = [&](const VectorPlan& plan) {
    const bool small = plan.out_chunk_bytes <= chunk_cap;
    return std::make_tuple(!small, small ? plan.chunks : plan.out_chunk_bytes, plan.read_bytes);
  };
  std::optional<VectorPlan> best;
  Bytes smallest = std::numeric_limits<Bytes>::max();
  for (const MTiling& spatial : p.spatial) {
    for (uint64_t channel_tile : p.channel_sizes) {
      const VectorPlan plan = evaluate(p, spatial, channel_tile);
      smallest = std::min(smallest, plan.footprint_bytes);
      if (plan.footprint_bytes > config.sram.capacity_bytes) break;  // grows with the channel tile
      if (!best || key(plan) < key(*best)) best = plan;
    }
  }
  if (!best) throw_sram_too_small(op, smallest, config.sram.capacity_bytes);
  return *best;
}

class VectorEmitter {
 public:
  VectorEmitter(const VectorProblem& problem, LayerProgram& program, const NpuConfig& config)
      : p_(problem), emit_(program, config.array) {}

  void run(const VectorPlan& plan) {
    if (p_.weight_bytes_per_channel > 0) {
      weights_ = emit_.load(BufferKind::kWeight, p_.weight_bytes_per_channel * p_.channels);
    }
    for (const MTile& tile : expand_m_tiles(*plan.spatial)) {
      for (uint64_t first = 0; first < p_.channels; first += plan.channel_tile) {
        chunk(tile, std::min(plan.channel_tile, p_.channels - first));
      }
    }
  }

 private:
  void chunk(const MTile& tile, uint64_t channels) {
    const Bytes in_bytes = tile.a_units * channels * p_.elem_bytes;  // per input tensor
    const Bytes out_bytes = tile.m * channels * p_.elem_bytes;
    // All inputs of a chunk share one slot of the double-buffered input region.
    const std::optional<uint32_t> reader = in_buffer_.acquire();
    std::vector<uint32_t> deps;
    for (uint32_t input = 0; input < p_.inputs; ++input)
      deps.push_back(emit_.load(BufferKind::kInput, in_bytes, reader));
    if (p_.side_bytes_per_unit > 0) {
      deps.push_back(emit_.load(BufferKind::kInput, tile.a_units * p_.side_bytes_per_unit, reader));
      // A gather's row addresses are the ids just loaded.
      if (p_.gather_bytes_per_unit > 0) {
        deps.push_back(emit_.load(BufferKind::kWeight, tile.m * p_.gather_bytes_per_unit, deps.back()));
      }
    }
    if (weights_) deps.push_back(*std::exchange(weights_, std::nullopt));  // the first chunk waits for them
    if (const auto store = out_buffer_.acquire()) deps.push_back(*store);
    // Line-buffered unit: every loaded input byte (and the chunk's kernels) is read from SRAM once.
    const Bytes read_bytes = in_bytes * p_.inputs + p_.weight_bytes_per_channel * channels +
                             tile.a_units * p_.side_bytes_per_unit + tile.m * p_.gather_bytes_per_unit;
    const uint32_t vector =
        emit_.vector(VectorWork{p_.kind, tile.m * channels, p_.ops_per_element, read_bytes, out_bytes}, deps);
    in_buffer_.read_by(vector);
    // A fused activation is applied on the way out of the vector unit: no extra pass.
    out_buffer_.read_by(emit_.store(out_bytes, vector));
  }

  const VectorProblem& p_;
  StreamEmitter emit_;
  std::optional<uint32_t> weights_;
  DoubleBuffer in_buffer_, out_buffer_;
};

}  // namespace

LayerProgram lower_vector_layer(const Operator& op, uint32_t op_index, const NpuConfig& config) {
  const VectorProblem problem = make_vector_problem(op, config);
  const VectorPlan plan = plan_vector(problem, config, op);
  LayerProgram program = new_layer_program(op, op_index);
  VectorEmitter(problem, program, config).run(plan);
  LayerMapping& mapping = program.mapping;
  mapping.unit = "vector";
  mapping.loop_order = problem.kind == VectorOpKind::kElementwise ? "m" : "m-c";  // pixels, then channels
  mapping.tiles = plan.chunks;
  mapping.planned_dram_read_bytes = plan.read_bytes;
  mapping.planned_dram_write_bytes = op_output_bytes(op);
  mapping.sram_footprint_bytes = plan.footprint_bytes;
  return program;
}

}  // namespace npusim
