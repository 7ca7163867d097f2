// Fused (flash-style) and unfused attention lowering; see attention_lowering.h for the schedule.
#include "workloads/mapper/attention_lowering.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "arch/timing/systolic_timing.h"
#include "arch/spec/input_error.h"
#include "workloads/mapper/gemm_lowering.h"
#include "workloads/mapper/gemm_tiling.h"
#include "workloads/mapper/vector_costs.h"
#include "workloads/mapper/vector_lowering.h"

namespace npusim {
namespace {

// The operator's dimensions in the units the lowering works in.
struct Shape {
  uint64_t batch = 1;
  uint64_t kv_heads = 1;
  uint64_t group = 1;  // query heads per K/V head
  uint64_t head_dim = 1;
  uint64_t q_len = 1, past_len = 0, kv_len = 1;
  bool causal = false, kv_cache = false;
  Bytes elem = 1, acc = 4;
};

Shape shape_of(const Operator& op) {
  const auto& p = std::get<AttentionParams>(op.params);
  Shape s;
  s.batch = op.batch;
  s.kv_heads = p.kv_heads;
  s.group = p.heads / p.kv_heads;
  s.head_dim = p.head_dim;
  s.q_len = p.q_len;
  s.past_len = p.past_len;
  s.kv_len = attention_kv_len(p);
  s.causal = p.causal;
  s.kv_cache = p.kv_cache;
  s.elem = dtype_bytes(op.dtype);
  s.acc = accumulator_bytes(op.dtype);
  return s;
}

// Keys the queries [0, q_end) can see: all of them, or under a causal mask those up to query q_end - 1.
uint64_t visible_keys(const Shape& s, uint64_t q_end) { return s.causal ? s.past_len + q_end : s.kv_len; }

// New tokens (positions >= past_len) inside the key block [begin, begin + keys).
uint64_t new_tokens_in(const Shape& s, uint64_t begin, uint64_t keys) {
  const uint64_t lo = std::max(begin, s.past_len);
  const uint64_t hi = std::min(begin + keys, s.kv_len);
  return hi > lo ? hi - lo : 0;
}

// Vector ops of one head's online-softmax step on an m x keys score block, with the accumulator
// rescale on every block after the first. A command mixes per-score and per-accumulator work, so it
// carries its op count as elements of one op each (vector_op_cycles only uses the product).
uint64_t online_softmax_ops(const Shape& s, uint64_t m, uint64_t keys, bool rescale) {
  return m * keys * kOnlineSoftmaxVectorOps + (rescale ? m * s.head_dim * kAttentionRescaleVectorOps : 0);
}

void check_array_dtype(const Operator& op, const ArrayConfig& array) {
  if (std::find(array.dtypes.begin(), array.dtypes.end(), op.dtype) != array.dtypes.end()) return;
  std::string supported;
  for (DType dtype : array.dtypes)
    supported += (supported.empty() ? "" : ", ") + std::string(dtype_name(dtype));
  throw InputError("<npu>", "npu.array.dtypes",
                   "operator '" + op.name + "' uses " + std::string(dtype_name(op.dtype)) +
                       ", array supports: " + supported);
}

// (heads in the group, number of such groups): full groups and the remainder.
std::vector<std::pair<uint64_t, uint64_t>> head_groups(uint64_t kv_heads, uint64_t head_group) {
  std::vector<std::pair<uint64_t, uint64_t>> groups{{head_group, kv_heads / head_group}};
  if (kv_heads % head_group > 0) groups.emplace_back(kv_heads % head_group, 1);
  return groups;
}

class FusedEmitter {
 public:
  FusedEmitter(const Shape& shape, const AttentionPlan& plan, const NpuConfig& config, LayerProgram& program)
      : s_(shape), plan_(plan), config_(config), program_(program) {}

  void run() {
    for (uint64_t b = 0; b < s_.batch; ++b) {
      for (uint64_t first = 0; first < s_.kv_heads; first += plan_.head_group) {
        group(std::min<uint64_t>(plan_.head_group, s_.kv_heads - first));
      }
    }
  }

  uint64_t compute_tiles() const { return compute_tiles_; }
  uint64_t folds() const { return folds_; }
  double mapping_efficiency() const {
    const double allocated = static_cast<double>(folds_) * config_.array.rows * config_.array.cols;
    return allocated > 0 ? static_cast<double>(used_pe_folds_) / allocated : 0.0;
  }
  Bytes read_bytes() const { return read_bytes_; }
  Bytes write_bytes() const { return write_bytes_; }

 private:
  // One group of `heads` K/V heads with their query heads: every query block, every visible key block.
  void group(uint64_t heads) {
    const Bytes kv_per_token = 2 * heads * s_.head_dim * s_.elem;
    std::optional<uint32_t> resident;
    if (plan_.kv_resident) {
      resident = load(BufferKind::kWeight, kv_per_token * s_.kv_len, kv_buffer_.acquire());
      if (s_.kv_cache) store(kv_per_token * s_.q_len, *resident);
    }
    uint64_t appended_blocks = 0;  // key blocks whose new tokens are already in the cache
    for (uint64_t q0 = 0; q0 < s_.q_len; q0 += plan_.q_block) {
      const uint64_t m = s_.group * std::min(plan_.q_block, s_.q_len - q0);  // stacked query heads
      const uint32_t q = load(BufferKind::kInput, heads * m * s_.head_dim * s_.elem, q_buffer_.acquire());
      std::optional<uint32_t> accumulator_free = out_buffer_.acquire();
      const uint64_t blocks = ceil_div(visible_keys(s_, q0 + m / s_.group), plan_.kv_block);
      uint32_t last_av = 0;
      for (uint64_t kb = 0; kb < blocks; ++kb) {
        const uint64_t begin = kb * plan_.kv_block;
        const uint64_t keys = std::min(plan_.kv_block, s_.kv_len - begin);
        uint32_t kv = 0;
        if (resident) {
          kv = *resident;
        } else {
          kv = load(BufferKind::kWeight, kv_per_token * keys, kv_buffer_.acquire());
          const uint64_t fresh = kb >= appended_blocks ? new_tokens_in(s_, begin, keys) : 0;
          if (s_.kv_cache && fresh > 0) store(kv_per_token * fresh, kv);
          appended_blocks = std::max(appended_blocks, kb + 1);
        }
        // Software-pipelined over heads: the array computes head i's scores while the vector unit runs
        // head i-1's softmax (array order S0 S1 AV0 S2 AV1 ...).
        uint32_t last_s = 0;
        std::optional<uint32_t> pending_softmax;
        for (uint64_t h = 0; h < heads; ++h) {
          std::vector<uint32_t> deps{q, kv};
          if (accumulator_free) deps.push_back(*std::exchange(accumulator_free, std::nullopt));
          last_s = compute(m, keys, s_.head_dim, deps);
          const uint32_t softmax =
              vector(online_softmax_ops(s_, m, keys, kb > 0),
                     m * keys * s_.acc + (kb > 0 ? m * s_.head_dim * s_.acc : 0),
                     m * keys * s_.elem + (kb > 0 ? m * s_.head_dim * s_.acc : 0), last_s);
          if (pending_softmax) last_av = compute(m, s_.head_dim, keys, {*pending_softmax, kv});
          pending_softmax = softmax;
        }
        last_av = compute(m, s_.head_dim, keys, {*pending_softmax, kv});
        kv_buffer_.read_by(last_av);
        q_buffer_.read_by(last_s);
      }
      const uint64_t out_elements = heads * m * s_.head_dim;
      const uint32_t finalize = vector(out_elements * kAttentionFinalizeVectorOps, out_elements * s_.acc,
                                       out_elements * s_.elem, last_av);
      out_buffer_.read_by(store(out_elements * s_.elem, finalize));
    }
  }

  uint32_t load(BufferKind buffer, Bytes bytes, std::optional<uint32_t> reader) {
    Command command;
    command.kind = CommandKind::kDmaLoad;
    command.buffer = buffer;
    command.bytes = bytes;
    read_bytes_ += bytes;
    return reader ? program_.add(command, {*reader}) : program_.add(command, {});
  }

  uint32_t store(Bytes bytes, uint32_t after) {
    Command command;
    command.kind = CommandKind::kDmaStore;
    command.buffer = BufferKind::kOutput;
    command.bytes = bytes;
    write_bytes_ += bytes;
    return program_.add(command, {after});
  }

  uint32_t compute(uint64_t m, uint64_t n, uint64_t k, const std::vector<uint32_t>& deps) {
    Command command;
    command.kind = CommandKind::kCompute;
    command.tile = {static_cast<uint32_t>(m), static_cast<uint32_t>(n), static_cast<uint32_t>(k)};
    const SpatialMapping mapping = spatial_mapping(config_.array.dataflow, GemmShape{m, n, k});
    folds_ += fold_count(ArrayShape{config_.array.rows, config_.array.cols}, mapping);
    used_pe_folds_ += mapping.sr * mapping.sc;
    ++compute_tiles_;
    return program_.add(command, deps);
  }

  uint32_t vector(uint64_t ops, Bytes read_bytes, Bytes write_bytes, uint32_t after) {
    Command command;
    command.kind = CommandKind::kVector;
    command.vector.kind = VectorOpKind::kElementwise;
    command.vector.elements = ops;
    command.vector.ops_per_element = 1;
    command.vector.read_bytes = read_bytes;
    command.vector.write_bytes = write_bytes;
    return program_.add(command, {after});
  }

  const Shape& s_;
  const AttentionPlan& plan_;
  const NpuConfig& config_;
  LayerProgram& program_;
  DoubleBuffer q_buffer_, kv_buffer_, out_buffer_;
  uint64_t compute_tiles_ = 0, folds_ = 0, used_pe_folds_ = 0;
  Bytes read_bytes_ = 0, write_bytes_ = 0;
};

LayerProgram lower_fused(const Operator& op, uint32_t op_index, const NpuConfig& config) {
  LayerProgram program;
  program.op_index = op_index;
  program.name = op.name;
  program.dtype = op.dtype;
  program.macs = op_macs(op);
  emit_fused_attention(op, plan_fused_attention(op, config), config, program);
  return program;
}

// Appends `phase` to `program`, renumbering its dependencies; its commands without dependencies wait
// for `barrier` (the previous phase's stores). Returns the ids of the appended stores.
std::vector<uint32_t> append_phase(LayerProgram& program, const LayerProgram& phase,
                                   std::optional<uint32_t> barrier) {
  const auto offset = static_cast<uint32_t>(program.commands.size());
  std::vector<uint32_t> stores;
  std::vector<uint32_t> deps;
  for (const Command& command : phase.commands) {
    deps.clear();
    for (uint32_t i = 0; i < command.dep_count; ++i)
      deps.push_back(phase.deps[command.dep_begin + i] + offset);
    if (deps.empty() && barrier) deps.push_back(*barrier);
    const uint32_t id = program.add(command, deps);
    if (command.kind == CommandKind::kDmaStore) stores.push_back(id);
  }
  return stores;
}

uint32_t add_barrier(LayerProgram& program, const std::vector<uint32_t>& stores) {
  Command sync;
  sync.kind = CommandKind::kSync;
  return program.add(sync, stores);
}

// The new tokens' K/V copied into the cache in chunks: load, then store, double-buffered.
void append_cache_copy(LayerProgram& program, Bytes bytes) {
  const Bytes chunk = std::max(ceil_div(bytes, kVectorTargetChunks), kVectorMinChunkBytes);
  DoubleBuffer buffer;
  for (Bytes done = 0; done < bytes; done += chunk) {
    Command load;
    load.kind = CommandKind::kDmaLoad;
    load.buffer = BufferKind::kInput;
    load.bytes = std::min(chunk, bytes - done);
    const std::optional<uint32_t> reader = buffer.acquire();
    const uint32_t loaded = reader ? program.add(load, {*reader}) : program.add(load, {});
    Command store = load;
    store.kind = CommandKind::kDmaStore;
    store.buffer = BufferKind::kOutput;
    buffer.read_by(program.add(store, {loaded}));
  }
}

Operator phase_matmul(const Operator& op, const Shape& s, const std::string& suffix, uint64_t n, uint64_t k) {
  Operator mm;
  mm.name = op.name + suffix;
  mm.kind = OpKind::kMatMul;
  mm.dtype = op.dtype;
  mm.batch = static_cast<uint32_t>(s.batch * s.kv_heads);
  mm.params = MatMulParams{s.group * s.q_len, n, k, false};
  return mm;
}

LayerProgram lower_unfused(const Operator& op, uint32_t op_index, const NpuConfig& config) {
  const Shape s = shape_of(op);
  const auto& p = std::get<AttentionParams>(op.params);
  // Phase 1: S[g*q_len x kv_len] = Q K^T per batch item and K/V head (its query heads stacked).
  const Operator qk = phase_matmul(op, s, ".qk", s.kv_len, s.head_dim);
  // Phase 2: softmax over each score row, all heads.
  Operator softmax;
  softmax.name = op.name + ".softmax";
  softmax.kind = OpKind::kSoftmax;
  softmax.dtype = op.dtype;
  softmax.params = RowParams{s.batch * p.heads * s.q_len, s.kv_len};
  // Phase 3: O[g*q_len x head_dim] = P V.
  const Operator av = phase_matmul(op, s, ".av", s.head_dim, s.kv_len);

  LayerProgram program;
  program.op_index = op_index;
  program.name = op.name;
  program.dtype = op.dtype;
  program.macs = op_macs(op);
  const Bytes cache_bytes = attention_kv_cache_write_bytes(op);
  if (cache_bytes > 0) append_cache_copy(program, cache_bytes);
  const LayerProgram phases[] = {lower_gemm_layer(qk, op_index, config),
                                 lower_vector_layer(softmax, op_index, config),
                                 lower_gemm_layer(av, op_index, config)};
  std::optional<uint32_t> barrier;
  LayerMapping& mapping = program.mapping;
  double used_pe_folds = 0.0;
  for (const LayerProgram& phase : phases) {
    const std::vector<uint32_t> stores = append_phase(program, phase, barrier);
    if (&phase != &phases[2]) barrier = add_barrier(program, stores);
    const LayerMapping& m = phase.mapping;
    mapping.tiles += m.unit == "array" ? m.tiles : 0;
    mapping.folds += m.folds;
    used_pe_folds += m.mapping_efficiency * static_cast<double>(m.folds);
    mapping.planned_dram_read_bytes += m.planned_dram_read_bytes;
    mapping.planned_dram_write_bytes += m.planned_dram_write_bytes;
    mapping.sram_footprint_bytes = std::max(mapping.sram_footprint_bytes, m.sram_footprint_bytes);
  }
  mapping.planned_dram_read_bytes += cache_bytes;
  mapping.planned_dram_write_bytes += cache_bytes;
  mapping.unit = "array";
  mapping.loop_order = "qk|softmax|av";  // three phases through DRAM
  mapping.tile = phases[0].mapping.tile;
  mapping.mapping_efficiency = mapping.folds > 0 ? used_pe_folds / static_cast<double>(mapping.folds) : 0.0;
  return program;
}

}  // namespace

Bytes fused_attention_footprint_bytes(const Operator& op, uint32_t head_group, uint64_t q_block,
                                      uint64_t kv_block, bool kv_resident) {
  const Shape s = shape_of(op);
  const uint64_t rows = uint64_t{head_group} * s.group * q_block;
  const Bytes q_tile = rows * s.head_dim * s.elem;
  const Bytes accumulator = rows * s.head_dim * s.acc;
  const Bytes scores = rows * kv_block * s.acc;
  const Bytes kv = 2 * uint64_t{head_group} * (kv_resident ? s.kv_len : kv_block) * s.head_dim * s.elem;
  return 2 * (q_tile + accumulator + scores + kv);
}

AttentionPlan evaluate_fused_attention(const Operator& op, uint32_t head_group, uint64_t q_block,
                                       uint64_t kv_block, bool kv_resident) {
  const Shape s = shape_of(op);
  AttentionPlan plan;
  plan.head_group = head_group;
  plan.q_block = q_block;
  plan.kv_block = kv_block;
  plan.kv_resident = kv_resident;
  plan.sram_footprint_bytes = fused_attention_footprint_bytes(op, head_group, q_block, kv_block, kv_resident);
  // Per group of `heads` K/V heads; the same for every batch item.
  for (const auto& [heads, count] : head_groups(s.kv_heads, head_group)) {
    const Bytes kv_per_token = 2 * heads * s.head_dim * s.elem;
    const Bytes q_bytes = heads * s.group * s.q_len * s.head_dim * s.elem;
    Bytes reads = q_bytes;
    Bytes writes = q_bytes + (s.kv_cache ? kv_per_token * s.q_len : 0);
    uint64_t commands = 0;
    if (kv_resident) {
      reads += kv_per_token * s.kv_len;
      commands += s.kv_cache ? 2 : 1;  // the load, and the cache append
    }
    uint64_t appended_blocks = 0;
    for (uint64_t q0 = 0; q0 < s.q_len; q0 += q_block) {
      const uint64_t blocks = ceil_div(visible_keys(s, q0 + std::min(q_block, s.q_len - q0)), kv_block);
      commands += 3 + 3 * heads * blocks;  // Q load, finalize, store; per block and head S, softmax, AV
      if (kv_resident) continue;
      for (uint64_t kb = 0; kb < blocks; ++kb) {
        const uint64_t keys = std::min(kv_block, s.kv_len - kb * kv_block);
        reads += kv_per_token * keys;
        commands += 1;
        if (s.kv_cache && kb >= appended_blocks && new_tokens_in(s, kb * kv_block, keys) > 0) commands += 1;
      }
      appended_blocks = std::max(appended_blocks, blocks);
    }
    plan.dram_read_bytes += reads * count * s.batch;
    plan.dram_write_bytes += writes * count * s.batch;
    plan.commands += commands * count * s.batch;
  }
  return plan;
}

AttentionPlan plan_fused_attention(const Operator& op, const NpuConfig& config) {
  const Shape s = shape_of(op);
  const Bytes capacity = config.sram.capacity_bytes;
  std::optional<AttentionPlan> best;
  Bytes smallest = std::numeric_limits<Bytes>::max();
  const auto key = [](const AttentionPlan& p) {
    return std::make_tuple(p.dram_read_bytes + p.dram_write_bytes, p.commands, p.sram_footprint_bytes);
  };
  for (uint64_t head_group : aligned_tile_sizes(s.kv_heads, 1)) {
    for (uint64_t q_block : aligned_tile_sizes(s.q_len, 1)) {
      for (uint64_t kv_block : aligned_tile_sizes(s.kv_len, config.array.cols)) {
        for (bool resident : {false, true}) {
          const auto group = static_cast<uint32_t>(head_group);
          const Bytes footprint = fused_attention_footprint_bytes(op, group, q_block, kv_block, resident);
          smallest = std::min(smallest, footprint);
          if (footprint > capacity) continue;
          const AttentionPlan plan = evaluate_fused_attention(op, group, q_block, kv_block, resident);
          if (!best || key(plan) < key(*best)) best = plan;
        }
      }
    }
  }
  if (!best) throw_sram_too_small(op, smallest, capacity);
  return *best;
}

void emit_fused_attention(const Operator& op, const AttentionPlan& plan, const NpuConfig& config,
                          LayerProgram& program) {
  const Shape s = shape_of(op);
  FusedEmitter emitter(s, plan, config, program);
  emitter.run();
  LayerMapping& mapping = program.mapping;
  mapping.unit = "array";
  mapping.loop_order = "b-h-q-k";  // batch, K/V head group, query block, key block
  mapping.tile = {static_cast<uint32_t>(s.group * plan.q_block), static_cast<uint32_t>(plan.kv_block),
                  static_cast<uint32_t>(s.head_dim)};
  mapping.tiles = emitter.compute_tiles();
  mapping.folds = emitter.folds();
  mapping.mapping_efficiency = emitter.mapping_efficiency();
  mapping.planned_dram_read_bytes = emitter.read_bytes();
  mapping.planned_dram_write_bytes = emitter.write_bytes();
  mapping.sram_footprint_bytes = plan.sram_footprint_bytes;
}

LayerProgram lower_attention_layer(const Operator& op, uint32_t op_index, const NpuConfig& config) {
  check_array_dtype(op, config.array);
  return std::get<AttentionParams>(op.params).fused ? lower_fused(op, op_index, config)
                                                    : lower_unfused(op, op_index, config);
}

}  // namespace npusim
