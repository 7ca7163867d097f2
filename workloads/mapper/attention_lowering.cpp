// Attention lowering: the unfused three-phase form, and the choice between it and the fused form;
// see attention_lowering.h for both schedules.
#include "workloads/mapper/attention_lowering.h"

#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "workloads/mapper/attention_shape.h"
#include "workloads/mapper/attention_tiling.h"
#include "workloads/mapper/choose_best.h"
#include "workloads/mapper/gemm_lowering.h"
#include "workloads/mapper/hardware_limits.h"
#include "workloads/mapper/partition_estimate.h"
#include "workloads/mapper/program_builder.h"
#include "workloads/mapper/vector_lowering.h"

namespace npusim {
namespace {

// Each shortlisted blocking emitted and scheduled; the mapper's rule picks among them.
struct ScheduledBlocking {
  LayerProgram program;
  double cycles = 0.0;
  Bytes dram_bytes = 0;
};

LayerProgram lower_fused(const Operator& op, uint32_t op_index, const NpuConfig& config) {
  auto chooser = choose_best<ScheduledBlocking>(
      RankBy{config.mapper.objective, [](ScheduledBlocking& c) { return c.cycles; },
             [](ScheduledBlocking& c) { return c.dram_bytes; },
             [](ScheduledBlocking&, ScheduledBlocking&) { return false; }});
  for (const AttentionPlan& plan : attention_plan_shortlist(op, config)) {
    ScheduledBlocking candidate{new_layer_program(op, op_index), 0.0,
                                plan.dram_read_bytes + plan.dram_write_bytes};
    emit_fused_attention(op, plan, config, candidate.program);
    candidate.cycles = estimate_layer_cycles(candidate.program, config, chooser.losing_time_cycles());
    chooser.offer(std::move(candidate));
  }
  return std::move(chooser.best().program);
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

// The new tokens' K/V copied into the cache in chunks: load, then store, double-buffered.
void append_cache_copy(StreamEmitter& emit, Bytes bytes) {
  const Bytes chunk = std::max(ceil_div(bytes, kVectorTargetChunks), kVectorMinChunkBytes);
  DoubleBuffer buffer;
  for (Bytes done = 0; done < bytes; done += chunk) {
    const Bytes part = std::min(chunk, bytes - done);
    buffer.read_by(emit.store(part, emit.load_into(buffer, BufferKind::kInput, part)));
  }
}

Operator phase_matmul(const Operator& op, const AttentionShape& s, const std::string& suffix, uint64_t n,
                      uint64_t k) {
  Operator mm;
  mm.name = op.name + suffix;
  mm.kind = OpKind::kMatMul;
  mm.dtype = op.dtype;
  mm.batch = static_cast<uint32_t>(s.batch * s.kv_heads);
  mm.params = MatMulParams{s.group * s.q_len, n, k, false};
  return mm;
}

LayerProgram lower_unfused(const Operator& op, uint32_t op_index, const NpuConfig& config) {
  const AttentionShape s = attention_shape(op);
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

  LayerProgram program = new_layer_program(op, op_index);
  StreamEmitter emit(program, config.array);
  const Bytes cache_bytes = attention_kv_cache_write_bytes(op);
  if (cache_bytes > 0) append_cache_copy(emit, cache_bytes);
  const LayerProgram phases[] = {lower_gemm_layer(qk, op_index, config),
                                 lower_vector_layer(softmax, op_index, config),
                                 lower_gemm_layer(av, op_index, config)};
  std::optional<uint32_t> barrier;
  MappingSum sum;
  for (const LayerProgram& phase : phases) {
    const std::vector<uint32_t> stores = append_phase(program, phase, barrier);
    if (&phase != &phases[2]) barrier = emit.sync(stores);
    sum.add(phase.mapping, phase.mapping.unit == "array");  // the layer's tiles are its array tiles
  }
  LayerMapping& mapping = program.mapping;
  sum.fill(mapping);
  mapping.planned_dram_read_bytes += cache_bytes;
  mapping.planned_dram_write_bytes += cache_bytes;
  mapping.unit = "array";
  mapping.loop_order = "qk|softmax|av";  // three phases through DRAM
  mapping.tile = phases[0].mapping.tile;
  return program;
}

}  // namespace

LayerProgram lower_attention_layer(const Operator& op, uint32_t op_index, const NpuConfig& config) {
  check_array_dtype(op, config.array);
  return std::get<AttentionParams>(op.params).fused ? lower_fused(op, op_index, config)
                                                    : lower_unfused(op, op_index, config);
}

}  // namespace npusim
