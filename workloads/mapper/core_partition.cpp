#include "workloads/mapper/core_partition.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "arch/timing/noc_topology.h"
#include "arch/timing/systolic_timing.h"
#include "arch/timing/vector_timing.h"
#include "workloads/mapper/mapper.h"

namespace npusim {

const char* split_kind_name(SplitKind kind) {
  switch (kind) {
    case SplitKind::kNone:
      return "none";
    case SplitKind::kM:
      return "m";
    case SplitKind::kN:
      return "n";
    case SplitKind::kBatch:
      return "batch";
    case SplitKind::kGroups:
      return "groups";
    case SplitKind::kHeads:
      return "heads";
  }
  return "?";
}

std::vector<std::pair<uint64_t, uint64_t>> split_extent(uint64_t extent, uint32_t parts, uint64_t align) {
  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  align = std::max<uint64_t>(align, 1);
  const uint64_t units = ceil_div(extent, align);
  const uint64_t count = std::min<uint64_t>(units, std::max<uint32_t>(parts, 1));
  uint64_t begin = 0;
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t take = units / count + (i < units % count ? 1 : 0);
    const uint64_t end = std::min(extent, begin + take * align);
    ranges.emplace_back(begin, end);
    begin = end;
  }
  return ranges;
}

namespace {

// Plans whose estimates differ by less than this fraction count as equally fast (as in gemm_tiling).
constexpr double kTimeTolerance = 0.02;

using Ranges = std::vector<std::pair<uint64_t, uint64_t>>;

// Alignment of the GEMM's M and N when split: the array side the dimension is mapped on (so only the
// last part leaves PEs idle), or 1 for the dimension streamed in time.
struct SplitAlignment {
  uint64_t m = 1, n = 1;
};
SplitAlignment split_alignment(const ArrayConfig& array) {
  const SpatialMapping probe = spatial_mapping(array.dataflow, GemmShape{1, 2, 3});
  const auto side = [&](uint64_t dim) -> uint64_t {
    if (probe.sr == dim) return array.rows;
    if (probe.sc == dim) return array.cols;
    return 1;
  };
  return {side(1), side(2)};
}

// Input rows a band of output rows [r0, r1) reads, and the padding it sees: the band as a conv of its own.
struct RowBand {
  uint32_t in_h = 0, pad_top = 0, pad_bottom = 0;
};
RowBand row_band(uint64_t r0, uint64_t r1, uint32_t stride, uint32_t kernel, uint32_t pad_top,
                 uint32_t in_h) {
  const int64_t first = static_cast<int64_t>(r0 * stride) - pad_top;                         // inclusive
  const int64_t last = static_cast<int64_t>((r1 - 1) * stride) - pad_top + int64_t{kernel};  // exclusive
  RowBand band;
  const int64_t lo = std::max<int64_t>(first, 0);
  const int64_t hi = std::min<int64_t>(last, in_h);
  band.in_h = hi > lo ? static_cast<uint32_t>(hi - lo) : 0;
  band.pad_top = static_cast<uint32_t>(std::max<int64_t>(0, -first));
  band.pad_bottom = static_cast<uint32_t>(std::max<int64_t>(0, last - int64_t{in_h}));
  return band;
}

class CandidateBuilder {
 public:
  CandidateBuilder(const Operator& op, uint32_t cores) : op_(op), cores_(cores) {}

  // One candidate per core count cores, cores/2, cores/4, ... (>= 2): `extent` split by split_extent.
  // `make(part, begin, end)` shapes a copy of the operator into one core's part; a part it rejects
  // (returns false) drops the candidate.
  template <class Make>
  void add(SplitKind kind, uint64_t extent, uint64_t align, Make make) {
    size_t previous = 0;
    for (uint32_t parts = cores_; parts >= 2; parts /= 2) {
      const Ranges ranges = split_extent(extent, parts, align);
      if (ranges.size() < 2 || ranges.size() == previous) continue;
      previous = ranges.size();
      CorePartition partition{kind, {}};
      bool ok = true;
      for (const auto& [begin, end] : ranges) {
        Operator part = op_;
        if (!(ok = make(part, begin, end))) break;
        partition.parts.push_back(std::move(part));
      }
      if (ok) out_.push_back(std::move(partition));
    }
  }
  std::vector<CorePartition> take() { return std::move(out_); }

 private:
  const Operator& op_;
  uint32_t cores_;
  std::vector<CorePartition> out_;
};

uint32_t as_u32(uint64_t value) { return static_cast<uint32_t>(value); }

// Splits an operator whose work is `count` independent items (elements, rows, tokens) along M.
template <class Params>
void add_count_split(CandidateBuilder& add, const Params& params, uint64_t Params::*count, uint64_t align) {
  add.add(SplitKind::kM, params.*count, align, [count](Operator& part, uint64_t begin, uint64_t end) {
    std::get<Params>(part.params).*count = end - begin;
    return true;
  });
}

void conv_candidates(const ConvParams& conv, const NpuConfig& config, CandidateBuilder& add) {
  const SplitAlignment align = split_alignment(config.array);
  const uint32_t out_h = conv_out_h(conv);
  add.add(SplitKind::kM, out_h, 1, [&](Operator& part, uint64_t r0, uint64_t r1) {
    auto& p = std::get<ConvParams>(part.params);
    const RowBand band = row_band(r0, r1, conv.stride_h, conv.kernel_h, conv.pad_top, conv.in_h);
    if (band.in_h == 0) return false;
    p.in_h = band.in_h;
    p.pad_top = band.pad_top;
    p.pad_bottom = band.pad_bottom;
    return conv_out_h(p) == r1 - r0;
  });
  if (is_depthwise(conv)) {  // channels are independent: at least two per part so it stays depthwise
    add.add(SplitKind::kN, conv.in_c, 2, [](Operator& part, uint64_t c0, uint64_t c1) {
      auto& p = std::get<ConvParams>(part.params);
      if (c1 - c0 < 2) return false;
      p.in_c = p.out_c = p.groups = as_u32(c1 - c0);
      return true;
    });
  } else if (conv.groups > 1) {
    add.add(SplitKind::kGroups, conv.groups, 1, [&](Operator& part, uint64_t g0, uint64_t g1) {
      auto& p = std::get<ConvParams>(part.params);
      p.groups = as_u32(g1 - g0);
      p.in_c = conv.in_c / conv.groups * p.groups;
      p.out_c = conv.out_c / conv.groups * p.groups;
      return true;
    });
  } else {
    add.add(SplitKind::kN, conv.out_c, align.n, [](Operator& part, uint64_t n0, uint64_t n1) {
      std::get<ConvParams>(part.params).out_c = as_u32(n1 - n0);
      return true;
    });
  }
}

void matmul_candidates(const Operator& op, const MatMulParams& mm, const NpuConfig& config,
                       CandidateBuilder& add) {
  const SplitAlignment align = split_alignment(config.array);
  // Shared weights: the batch is just more rows of A (as gemm_view and the tiler treat it).
  const bool rows_include_batch = op.kind == OpKind::kFullyConnected || mm.b_is_weight;
  const uint64_t rows = rows_include_batch ? uint64_t{op.batch} * mm.m : mm.m;
  add.add(SplitKind::kM, rows, align.m, [&](Operator& part, uint64_t m0, uint64_t m1) {
    auto& p = std::get<MatMulParams>(part.params);
    if (rows_include_batch) part.batch = 1;
    p.m = m1 - m0;
    return true;
  });
  add.add(SplitKind::kN, mm.n, align.n, [](Operator& part, uint64_t n0, uint64_t n1) {
    std::get<MatMulParams>(part.params).n = n1 - n0;
    return true;
  });
}

void pool_candidates(const PoolParams& pool, CandidateBuilder& add) {
  if (!pool.global) {
    add.add(SplitKind::kM, pool_out_h(pool), 1, [&](Operator& part, uint64_t r0, uint64_t r1) {
      auto& p = std::get<PoolParams>(part.params);
      const RowBand band = row_band(r0, r1, pool.stride_h, pool.kernel_h, pool.pad_top, pool.in_h);
      if (band.in_h == 0) return false;
      p.in_h = band.in_h;
      p.pad_top = band.pad_top;
      p.pad_bottom = band.pad_bottom;
      return pool_out_h(p) == r1 - r0;
    });
  }
  add.add(SplitKind::kN, pool.channels, 1, [](Operator& part, uint64_t c0, uint64_t c1) {
    std::get<PoolParams>(part.params).channels = as_u32(c1 - c0);
    return true;
  });
}

}  // namespace

std::vector<CorePartition> partition_candidates(const Operator& op, const NpuConfig& config) {
  std::vector<CorePartition> candidates;
  candidates.push_back({SplitKind::kNone, {op}});
  if (config.cores < 2) return candidates;
  CandidateBuilder add(op, config.cores);
  const bool batch_is_rows =
      op.kind == OpKind::kFullyConnected ||
      (std::holds_alternative<MatMulParams>(op.params) && std::get<MatMulParams>(op.params).b_is_weight);
  if (const auto* conv = std::get_if<ConvParams>(&op.params)) {
    conv_candidates(*conv, config, add);
  } else if (const auto* mm = std::get_if<MatMulParams>(&op.params)) {
    matmul_candidates(op, *mm, config, add);
  } else if (const auto* pool = std::get_if<PoolParams>(&op.params)) {
    pool_candidates(*pool, add);
  } else if (const auto* elt = std::get_if<EltwiseParams>(&op.params)) {
    add_count_split(add, *elt, &EltwiseParams::elements, config.vector.lanes);
  } else if (const auto* row = std::get_if<RowParams>(&op.params)) {
    add_count_split(add, *row, &RowParams::rows, 1);
  } else if (const auto* rotary = std::get_if<RotaryParams>(&op.params)) {
    add_count_split(add, *rotary, &RotaryParams::tokens, 1);
  } else if (const auto* embedding = std::get_if<EmbeddingParams>(&op.params)) {
    add_count_split(add, *embedding, &EmbeddingParams::tokens, 1);
  } else if (const auto* attention = std::get_if<AttentionParams>(&op.params)) {
    // Whole K/V heads, each with its query heads (grouped-query attention keeps its grouping).
    if (attention->kv_heads > 0 && attention->heads % attention->kv_heads == 0) {
      const uint32_t group = attention->heads / attention->kv_heads;
      add.add(SplitKind::kHeads, attention->kv_heads, 1, [group](Operator& part, uint64_t h0, uint64_t h1) {
        auto& p = std::get<AttentionParams>(part.params);
        p.kv_heads = as_u32(h1 - h0);
        p.heads = p.kv_heads * group;
        return true;
      });
    }
  }
  // Any other operator kind is split by batch only: every operator scales with its batch.
  if (op.batch > 1 && !batch_is_rows) {
    add.add(SplitKind::kBatch, op.batch, 1, [](Operator& part, uint64_t b0, uint64_t b1) {
      part.batch = as_u32(b1 - b0);
      return true;
    });
  }
  for (CorePartition& candidate : add.take()) candidates.push_back(std::move(candidate));
  return candidates;
}

namespace {

// Bytes per cycle core `core` can pull through the NoC: one link per distinct last link into it over
// the routes from the DRAM controllers; unlimited when none crosses a link.
double noc_bytes_per_cycle_into(const NpuConfig& config, uint32_t core) {
  const NocTopology topology = make_noc_topology(config.noc, config.cores);
  std::set<uint32_t> last_links;
  std::vector<uint32_t> links;
  for (uint32_t node : noc_dram_nodes(config.noc, config.cores, config.dram.channels)) {
    if (node >= noc_nodes(topology) || core >= noc_nodes(topology)) continue;
    noc_route(topology, node, core, links);
    if (!links.empty()) last_links.insert(links.back());
  }
  if (last_links.empty()) return std::numeric_limits<double>::infinity();
  return static_cast<double>(config.noc.link_bytes_per_cycle) * static_cast<double>(last_links.size());
}

}  // namespace

PartitionEstimate estimate_streams(const std::vector<const CommandStream*>& streams,
                                   const NpuConfig& config) {
  const ArrayShape array{config.array.rows, config.array.cols};
  const double dram_bw = dram_bytes_per_cycle(config);
  const double fixed = static_cast<double>(config.dma.setup_cycles + dram_latency_cycles(config));
  PartitionEstimate estimate;
  double slowest = 0.0;
  for (size_t core = 0; core < streams.size(); ++core) {
    Cycles array_cycles = 0, vector_cycles = 0;
    Bytes bytes = 0;
    uint64_t transfers = 0;
    for (const Command& c : streams[core]->commands) {
      switch (c.kind) {
        case CommandKind::kCompute:
          array_cycles +=
              gemm_tile_cycles(array, config.array.dataflow, GemmShape{c.tile.m, c.tile.n, c.tile.k},
                               config.array.overlap_folds);
          break;
        case CommandKind::kVector:
          vector_cycles += vector_op_cycles(config.vector, c.vector.elements, c.vector.ops_per_element);
          break;
        case CommandKind::kDmaLoad:
        case CommandKind::kDmaStore:
          bytes += c.bytes;
          ++transfers;
          break;
        case CommandKind::kSync:
          break;
      }
    }
    const double core_bw = std::min({static_cast<double>(config.dma.bytes_per_cycle), dram_bw,
                                     noc_bytes_per_cycle_into(config, static_cast<uint32_t>(core))});
    const double dma = static_cast<double>(bytes) / core_bw;
    const double exposed = transfers > 0 ? dma / static_cast<double>(transfers) : 0.0;
    const double engine = static_cast<double>(std::max(array_cycles, vector_cycles));
    slowest = std::max(slowest, std::max(engine, dma) + exposed + fixed);
    estimate.dram_bytes += bytes;
  }
  estimate.cycles = std::max(slowest, static_cast<double>(estimate.dram_bytes) / dram_bw + fixed);
  return estimate;
}

namespace {

// Parts that differ only in the fields a split changes lower to the same commands: lower them once.
bool same_part(const Operator& a, const Operator& b) {
  if (a.batch != b.batch || a.params.index() != b.params.index()) return false;
  if (const auto* x = std::get_if<ConvParams>(&a.params)) {
    const auto& y = std::get<ConvParams>(b.params);
    return x->in_h == y.in_h && x->pad_top == y.pad_top && x->pad_bottom == y.pad_bottom &&
           x->in_c == y.in_c && x->out_c == y.out_c && x->groups == y.groups;
  }
  if (const auto* x = std::get_if<MatMulParams>(&a.params)) {
    const auto& y = std::get<MatMulParams>(b.params);
    return x->m == y.m && x->n == y.n;
  }
  if (const auto* x = std::get_if<PoolParams>(&a.params)) {
    const auto& y = std::get<PoolParams>(b.params);
    return x->in_h == y.in_h && x->pad_top == y.pad_top && x->pad_bottom == y.pad_bottom &&
           x->channels == y.channels;
  }
  if (const auto* x = std::get_if<EltwiseParams>(&a.params)) {
    return x->elements == std::get<EltwiseParams>(b.params).elements;
  }
  if (const auto* x = std::get_if<RowParams>(&a.params)) return x->rows == std::get<RowParams>(b.params).rows;
  if (const auto* x = std::get_if<RotaryParams>(&a.params)) {
    return x->tokens == std::get<RotaryParams>(b.params).tokens;
  }
  if (const auto* x = std::get_if<EmbeddingParams>(&a.params)) {
    return x->tokens == std::get<EmbeddingParams>(b.params).tokens;
  }
  if (const auto* x = std::get_if<AttentionParams>(&a.params)) {
    return x->kv_heads == std::get<AttentionParams>(b.params).kv_heads;
  }
  return true;  // a kind split by batch only: equal batch was checked, the rest is untouched
}

struct LoweredCandidate {
  SplitKind kind = SplitKind::kNone;
  std::vector<LayerProgram> distinct;  // lowered parts, without repeats
  std::vector<size_t> core_part;       // core -> index into distinct
  PartitionEstimate estimate;
};

LoweredCandidate lower_candidate(const CorePartition& candidate, uint32_t op_index, const NpuConfig& config) {
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
      out.distinct.push_back(map_operator(part, op_index, config));
    }
    out.core_part.push_back(index);
  }
  std::vector<const CommandStream*> streams;
  for (size_t index : out.core_part) streams.push_back(&out.distinct[index]);
  out.estimate = estimate_streams(streams, config);
  return out;
}

bool better(const LoweredCandidate& a, const LoweredCandidate& b) {
  const double ta = a.estimate.cycles, tb = b.estimate.cycles;
  if (std::fabs(ta - tb) > kTimeTolerance * std::min(ta, tb)) return ta < tb;
  return a.estimate.dram_bytes < b.estimate.dram_bytes;
}

LayerProgram assemble(const Operator& op, LoweredCandidate&& chosen) {
  const size_t cores = chosen.core_part.size();
  LayerProgram program = chosen.distinct[chosen.core_part[0]];  // core 0's stream and its mapping
  program.macs = op_macs(op);
  LayerMapping& mapping = program.mapping;
  mapping.split = split_kind_name(chosen.kind);
  mapping.cores_used = static_cast<uint32_t>(cores);
  mapping.tiles = mapping.folds = 0;
  mapping.planned_dram_read_bytes = mapping.planned_dram_write_bytes = 0;
  double used_pe_folds = 0.0;
  for (size_t core = 0; core < cores; ++core) {
    const LayerProgram& part = chosen.distinct[chosen.core_part[core]];
    mapping.tiles += part.mapping.tiles;
    mapping.folds += part.mapping.folds;
    used_pe_folds += part.mapping.mapping_efficiency * static_cast<double>(part.mapping.folds);
    mapping.planned_dram_read_bytes += part.mapping.planned_dram_read_bytes;
    mapping.planned_dram_write_bytes += part.mapping.planned_dram_write_bytes;
    mapping.sram_footprint_bytes = std::max(mapping.sram_footprint_bytes, part.mapping.sram_footprint_bytes);
    if (core > 0) program.more_cores.push_back(static_cast<const CommandStream&>(part));
  }
  mapping.mapping_efficiency = mapping.folds > 0 ? used_pe_folds / static_cast<double>(mapping.folds) : 0.0;
  return program;
}

}  // namespace

LayerProgram map_operator_on_cores(const Operator& op, uint32_t op_index, const NpuConfig& config) {
  if (config.cores < 2) return map_operator(op, op_index, config);
  std::vector<CorePartition> candidates = partition_candidates(op, config);
  LoweredCandidate best = lower_candidate(candidates.front(), op_index, config);
  for (size_t i = 1; i < candidates.size(); ++i) {
    LoweredCandidate next = lower_candidate(candidates[i], op_index, config);
    if (better(next, best)) best = std::move(next);
  }
  return assemble(op, std::move(best));
}

void place_activations_in_global_sram(const Workload& workload, std::vector<LayerProgram>& programs,
                                      const NpuConfig& config) {
  const Bytes capacity = config.global_sram.capacity_bytes;
  if (capacity == 0 || config.timing_mode == TimingMode::kScaleSim ||
      programs.size() != workload.ops.size()) {
    return;
  }
  const size_t count = workload.ops.size();
  std::vector<size_t> last_consumer(count, 0);
  std::vector<bool> consumed(count, false);
  for (size_t j = 0; j < count; ++j) {
    for (uint32_t input : workload.ops[j].inputs) {
      if (input < j) {
        last_consumer[input] = std::max(last_consumer[input], j);
        consumed[input] = true;
      }
    }
  }
  std::vector<bool> resident(count, false);
  std::map<size_t, Bytes> live;  // producer -> bytes, while resident
  Bytes live_bytes = 0;
  const auto retarget = [](LayerProgram& program, CommandKind kind, BufferKind buffer, double fraction) {
    Bytes total = 0;
    for (uint32_t core = 0; core < program.streams(); ++core) {
      for (const Command& c : program.stream(core).commands) {
        if (c.kind == kind && c.buffer == buffer) total += c.bytes;
      }
    }
    // The first `fraction` of the matching bytes, per core in stream order (an approximate attribution
    // when only some inputs are resident: the loads do not say which tensor they read).
    const auto budget = static_cast<Bytes>(fraction * static_cast<double>(total) + 0.5);
    Bytes moved = 0;
    for (uint32_t core = 0; core < program.streams(); ++core) {
      auto& commands = core == 0 ? program.commands : program.more_cores[core - 1].commands;
      for (Command& c : commands) {
        if (c.kind != kind || c.buffer != buffer || moved >= budget) continue;
        c.memory = MemoryKind::kGlobalSram;
        moved += c.bytes;
      }
    }
  };
  for (size_t i = 0; i < count; ++i) {
    const Operator& op = workload.ops[i];
    // Inputs first: loads of resident producers' outputs come from the global SRAM.
    Bytes resident_input = 0;
    for (uint32_t input : op.inputs) {
      if (input < i && resident[input]) resident_input += op_output_bytes(workload.ops[input]);
    }
    const Bytes all_inputs = op_input_bytes(op);
    if (resident_input > 0 && all_inputs > 0) {
      retarget(programs[i], CommandKind::kDmaLoad, BufferKind::kInput,
               std::min(1.0, static_cast<double>(resident_input) / static_cast<double>(all_inputs)));
    }
    // Tensors whose last consumer has run leave; then this output stays on chip if it fits.
    for (auto it = live.begin(); it != live.end();) {
      if (last_consumer[it->first] < i) {
        live_bytes -= it->second;
        it = live.erase(it);
      } else {
        ++it;
      }
    }
    const bool known_kind =
        std::holds_alternative<ConvParams>(op.params) || std::holds_alternative<MatMulParams>(op.params) ||
        std::holds_alternative<PoolParams>(op.params) || std::holds_alternative<EltwiseParams>(op.params);
    const Bytes output = op_output_bytes(op);
    if (known_kind && consumed[i] && output > 0 && live_bytes + output <= capacity) {
      resident[i] = true;
      live[i] = output;
      live_bytes += output;
      retarget(programs[i], CommandKind::kDmaStore, BufferKind::kOutput, 1.0);
    }
  }
}

}  // namespace npusim
