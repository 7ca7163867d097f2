#include "workloads/mapper/vector_lowering.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <tuple>
#include <utility>
#include <vector>

#include "workloads/mapper/gemm_lowering.h"
#include "workloads/mapper/gemm_tiling.h"

namespace npusim {

uint32_t eltwise_ops_per_element(EltwiseKind kind) {
  switch (kind) {
    case EltwiseKind::kAdd:
    case EltwiseKind::kMul:
    case EltwiseKind::kRelu:
    case EltwiseKind::kCopy: return 1;
    case EltwiseKind::kRelu6: return 2;    // max then min
    case EltwiseKind::kSigmoid: return 4;  // exp (LUT), add, reciprocal (LUT + refine)
    case EltwiseKind::kSilu: return 5;     // sigmoid, then multiply by x
    case EltwiseKind::kGelu: return 6;     // tanh form: x^3, fma, tanh (LUT), add, two multiplies
  }
  return 1;
}

namespace {

// The op as output chunks: output-pixel tilings (a_units = input pixels per channel, halo included)
// times channel chunks. A flat elementwise op is one "channel" of `elements` pixels.
struct VectorProblem {
  VectorOpKind kind = VectorOpKind::kElementwise;
  uint32_t ops_per_element = 1;
  uint32_t inputs = 1;  // tensors read (2 for a residual add)
  uint64_t channels = 1;
  uint32_t elem_bytes = 1;
  Bytes weight_bytes_per_channel = 0;  // depthwise kernels: loaded once, stay resident
  std::vector<MTiling> spatial;
  std::vector<uint64_t> channel_sizes{1};
};

void set_windowed(VectorProblem& p, const WindowGeometry& g, uint64_t channels, uint32_t lanes) {
  p.ops_per_element = g.kernel_h * g.kernel_w;
  p.channels = channels;
  p.spatial = window_m_tilings(g);
  p.channel_sizes = aligned_tile_sizes(channels, lanes);
}

VectorProblem make_vector_problem(const Operator& op, const NpuConfig& config) {
  VectorProblem p;
  p.elem_bytes = dtype_bytes(op.dtype);
  if (const auto* elt = std::get_if<EltwiseParams>(&op.params)) {
    p.ops_per_element = eltwise_ops_per_element(elt->kind);
    p.inputs = elt->inputs;
    const uint64_t elements = uint64_t{op.batch} * elt->elements;
    for (uint64_t tile : aligned_tile_sizes(elements, config.vector.lanes)) {
      p.spatial.push_back(uniform_m_tiling(elements, tile));
    }
  } else if (const auto* pool = std::get_if<PoolParams>(&op.params)) {
    p.kind = VectorOpKind::kPool;  // ops_per_element = window reads
    set_windowed(p, pool_window(op, *pool), pool->channels, config.vector.lanes);
  } else {
    const auto& conv = std::get<ConvParams>(op.params);
    p.kind = VectorOpKind::kDepthwise;  // ops_per_element = kernel MACs
    set_windowed(p, conv_window(op, conv), conv.in_c, config.vector.lanes);
    p.weight_bytes_per_channel = uint64_t{conv.kernel_h} * conv.kernel_w * p.elem_bytes;
  }
  return p;
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
  const Bytes in_chunk = spatial.max_a_units * channel_tile * p.inputs * p.elem_bytes;
  VectorPlan plan;
  plan.spatial = &spatial;
  plan.channel_tile = channel_tile;
  plan.chunks = spatial.tiles * ceil_div(p.channels, channel_tile);
  plan.out_chunk_bytes = spatial.max_m * channel_tile * p.elem_bytes;
  plan.read_bytes = spatial.sum_a_units * p.channels * p.inputs * p.elem_bytes + weights;
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
  VectorEmitter(const VectorProblem& problem, LayerProgram& program) : p_(problem), program_(program) {}

  void run(const VectorPlan& plan) {
    if (p_.weight_bytes_per_channel > 0) {
      weights_ = load(BufferKind::kWeight, p_.weight_bytes_per_channel * p_.channels, std::nullopt);
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
      deps.push_back(load(BufferKind::kInput, in_bytes, reader));
    if (weights_) deps.push_back(*std::exchange(weights_, std::nullopt));  // the first chunk waits for them
    if (const auto store = out_buffer_.acquire()) deps.push_back(*store);
    Command command;
    command.kind = CommandKind::kVector;
    command.vector.kind = p_.kind;
    command.vector.elements = tile.m * channels;
    command.vector.ops_per_element = p_.ops_per_element;
    // Line-buffered unit: every loaded input byte (and the chunk's kernels) is read from SRAM once.
    command.vector.read_bytes = in_bytes * p_.inputs + p_.weight_bytes_per_channel * channels;
    command.vector.write_bytes = out_bytes;
    const uint32_t vector = program_.add(command, deps);
    in_buffer_.read_by(vector);
    // A fused activation is applied on the way out of the vector unit: no extra pass.
    Command store;
    store.kind = CommandKind::kDmaStore;
    store.buffer = BufferKind::kOutput;
    store.bytes = out_bytes;
    out_buffer_.read_by(program_.add(store, {vector}));
  }

  uint32_t load(BufferKind buffer, Bytes bytes, std::optional<uint32_t> reader) {
    Command command;
    command.kind = CommandKind::kDmaLoad;
    command.buffer = buffer;
    command.bytes = bytes;
    return reader ? program_.add(command, {*reader}) : program_.add(command, {});
  }

  const VectorProblem& p_;
  LayerProgram& program_;
  std::optional<uint32_t> weights_;
  DoubleBuffer in_buffer_, out_buffer_;
};

}  // namespace

LayerProgram lower_vector_layer(const Operator& op, uint32_t op_index, const NpuConfig& config) {
  const VectorProblem problem = make_vector_problem(op, config);
  const VectorPlan plan = plan_vector(problem, config, op);
  LayerProgram program;
  program.op_index = op_index;
  program.name = op.name;
  program.dtype = op.dtype;
  program.macs = op_macs(op);
  VectorEmitter(problem, program).run(plan);
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
