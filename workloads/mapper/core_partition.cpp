// Multi-core mapping, the search: lowers every split candidate with the single-core mapper, estimates
// it, and keeps the best by choose_best (see core_partition.h).
#include "workloads/mapper/core_partition.h"

#include <algorithm>
#include <type_traits>
#include <utility>

#include "workloads/mapper/choose_best.h"
#include "workloads/mapper/operator_lowering.h"
#include "workloads/mapper/program_builder.h"

namespace npusim {
namespace {

// Parts that differ only in the fields a split changes lower to the same commands: lower them once.
// One overload per kind of params: the fields its splits change.
bool same_split_fields(const ConvParams& x, const ConvParams& y) {
  return x.in_h == y.in_h && x.pad_top == y.pad_top && x.pad_bottom == y.pad_bottom && x.in_c == y.in_c &&
         x.out_c == y.out_c && x.groups == y.groups;
}
bool same_split_fields(const MatMulParams& x, const MatMulParams& y) { return x.m == y.m && x.n == y.n; }
bool same_split_fields(const PoolParams& x, const PoolParams& y) {
  return x.in_h == y.in_h && x.pad_top == y.pad_top && x.pad_bottom == y.pad_bottom &&
         x.channels == y.channels;
}
bool same_split_fields(const EltwiseParams& x, const EltwiseParams& y) { return x.elements == y.elements; }
bool same_split_fields(const RowParams& x, const RowParams& y) { return x.rows == y.rows; }
bool same_split_fields(const RotaryParams& x, const RotaryParams& y) { return x.tokens == y.tokens; }
bool same_split_fields(const EmbeddingParams& x, const EmbeddingParams& y) { return x.tokens == y.tokens; }
bool same_split_fields(const AttentionParams& x, const AttentionParams& y) {
  return x.kv_heads == y.kv_heads;
}

bool same_part(const Operator& a, const Operator& b) {
  if (a.batch != b.batch || a.params.index() != b.params.index()) return false;
  return std::visit(
      [&b](const auto& x) { return same_split_fields(x, std::get<std::decay_t<decltype(x)>>(b.params)); },
      a.params);
}

struct LoweredCandidate {
  SplitKind kind = SplitKind::kNone;
  std::vector<LayerProgram> distinct;  // lowered parts, without repeats
  std::vector<size_t> core_part;       // core -> index into distinct
  PartitionEstimate estimate;
};

// The NPU as one of `parts` cores streaming together sees it: its share of the DRAM and of the global
// SRAM, so that each part is tiled for the bandwidth it will get.
NpuConfig shared_by(const NpuConfig& config, size_t parts) {
  NpuConfig share = config;
  share.dram.bandwidth_gbytes_per_s /= static_cast<double>(parts);
  share.global_sram.bytes_per_cycle = std::max<decltype(share.global_sram.bytes_per_cycle)>(
      1, share.global_sram.bytes_per_cycle / static_cast<uint32_t>(parts));
  return share;
}

// `cutoff_cycles`: where the candidate has lost to the best so far (its estimate may stop there).
LoweredCandidate lower_candidate(const CorePartition& candidate, uint32_t op_index, const NpuConfig& config,
                                 double cutoff_cycles) {
  const NpuConfig share = shared_by(config, candidate.parts.size());
  LoweredCandidate out;
  out.kind = candidate.kind;
  std::vector<const Operator*> lowered_ops;
  for (const Operator& part : candidate.parts) {
    size_t index = lowered_ops.size();
    for (size_t i = 0; i < lowered_ops.size(); ++i) {
      if (same_part(*lowered_ops[i], part)) {
        index = i;
        break;
      }
    }
    if (index == lowered_ops.size()) {
      lowered_ops.push_back(&part);
      out.distinct.push_back(map_operator(part, op_index, share));
    }
    out.core_part.push_back(index);
  }
  std::vector<const CommandStream*> streams;
  for (size_t index : out.core_part) streams.push_back(&out.distinct[index]);
  out.estimate = estimate_streams(streams, config, candidate.parts.front().dtype, cutoff_cycles);
  return out;
}

LayerProgram assemble(const Operator& op, LoweredCandidate&& chosen) {
  const size_t cores = chosen.core_part.size();
  LayerProgram program = chosen.distinct[chosen.core_part[0]];  // core 0's stream and its mapping
  program.macs = op_macs(op);
  MappingSum sum;
  for (size_t core = 0; core < cores; ++core) {
    const LayerProgram& part = chosen.distinct[chosen.core_part[core]];
    sum.add(part.mapping);
    if (core > 0) program.more_cores.push_back(static_cast<const CommandStream&>(part));
  }
  LayerMapping& mapping = program.mapping;
  sum.fill(mapping);
  mapping.split = split_kind_name(chosen.kind);
  mapping.cores_used = static_cast<uint32_t>(cores);
  return program;
}

}  // namespace

LayerProgram map_operator_on_cores(const Operator& op, uint32_t op_index, const NpuConfig& config) {
  if (config.cores < 2) return map_operator(op, op_index, config);
  // Splits are always ranked by time first (mapper.objective chooses how each part is tiled).
  auto chooser = choose_best<LoweredCandidate>(
      RankBy{MapperObjective::kLatency, [](LoweredCandidate& c) { return c.estimate.cycles; },
             [](LoweredCandidate& c) { return c.estimate.dram_bytes; },
             [](LoweredCandidate&, LoweredCandidate&) { return false; }});
  for (const CorePartition& candidate : partition_candidates(op, config)) {
    chooser.offer(lower_candidate(candidate, op_index, config, chooser.losing_time_cycles()));
  }
  return assemble(op, std::move(chooser.best()));
}

}  // namespace npusim
