// Multi-core split candidates (see partition_candidates.h).
#include "workloads/mapper/partition_candidates.h"

#include <algorithm>

#include "workloads/mapper/hardware_limits.h"

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

using Ranges = std::vector<std::pair<uint64_t, uint64_t>>;

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

// Bands of output rows of a sliding-window operator (conv or pooling name their window fields alike):
// each band is the operator over the input rows it reads (the halo included) and the padding it sees.
template <class WindowParams>
void add_row_band_split(CandidateBuilder& add, const WindowParams& whole,
                        uint32_t (*out_h)(const WindowParams&)) {
  add.add(SplitKind::kM, out_h(whole), 1, [&whole, out_h](Operator& part, uint64_t r0, uint64_t r1) {
    auto& p = std::get<WindowParams>(part.params);
    const RowBand band = row_band(r0, r1, whole.stride_h, whole.kernel_h, whole.pad_top, whole.in_h);
    if (band.in_h == 0) return false;
    p.in_h = band.in_h;
    p.pad_top = band.pad_top;
    p.pad_bottom = band.pad_bottom;
    return out_h(p) == r1 - r0;
  });
}

// Shared weights: the batch is just more rows of A (as gemm_view and the tiler treat it).
bool batch_in_gemm_rows(const Operator& op) {
  const auto* mm = std::get_if<MatMulParams>(&op.params);
  return op.kind == OpKind::kFullyConnected || (mm != nullptr && mm->b_is_weight);
}

// The splits particular to each kind of operator, one overload per kind of params (so a new kind fails
// to compile until it says how it splits).
void add_splits(CandidateBuilder& add, const Operator&, const ConvParams& conv, const NpuConfig& config) {
  add_row_band_split(add, conv, &conv_out_h);
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
    add.add(SplitKind::kN, conv.out_c, array_alignment(config.array).n,
            [](Operator& part, uint64_t n0, uint64_t n1) {
              std::get<ConvParams>(part.params).out_c = as_u32(n1 - n0);
              return true;
            });
  }
}

void add_splits(CandidateBuilder& add, const Operator& op, const MatMulParams& mm, const NpuConfig& config) {
  const ArrayAlignment align = array_alignment(config.array);
  const bool rows_include_batch = batch_in_gemm_rows(op);
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

void add_splits(CandidateBuilder& add, const Operator&, const PoolParams& pool, const NpuConfig&) {
  if (!pool.global) add_row_band_split(add, pool, &pool_out_h);
  add.add(SplitKind::kN, pool.channels, 1, [](Operator& part, uint64_t c0, uint64_t c1) {
    std::get<PoolParams>(part.params).channels = as_u32(c1 - c0);
    return true;
  });
}

void add_splits(CandidateBuilder& add, const Operator&, const EltwiseParams& elt, const NpuConfig& config) {
  add_count_split(add, elt, &EltwiseParams::elements, config.vector.lanes);
}

void add_splits(CandidateBuilder& add, const Operator&, const RowParams& row, const NpuConfig&) {
  add_count_split(add, row, &RowParams::rows, 1);
}

void add_splits(CandidateBuilder& add, const Operator&, const RotaryParams& rotary, const NpuConfig&) {
  add_count_split(add, rotary, &RotaryParams::tokens, 1);
}

void add_splits(CandidateBuilder& add, const Operator&, const EmbeddingParams& embedding, const NpuConfig&) {
  add_count_split(add, embedding, &EmbeddingParams::tokens, 1);
}

// Whole K/V heads, each with its query heads (grouped-query attention keeps its grouping).
void add_splits(CandidateBuilder& add, const Operator&, const AttentionParams& attention, const NpuConfig&) {
  if (attention.kv_heads == 0 || attention.heads % attention.kv_heads != 0) return;
  const uint32_t group = attention.heads / attention.kv_heads;
  add.add(SplitKind::kHeads, attention.kv_heads, 1, [group](Operator& part, uint64_t h0, uint64_t h1) {
    auto& p = std::get<AttentionParams>(part.params);
    p.kv_heads = as_u32(h1 - h0);
    p.heads = p.kv_heads * group;
    return true;
  });
}

}  // namespace

std::vector<CorePartition> partition_candidates(const Operator& op, const NpuConfig& config) {
  std::vector<CorePartition> candidates;
  candidates.push_back({SplitKind::kNone, {op}});
  if (config.cores < 2) return candidates;
  CandidateBuilder add(op, config.cores);
  std::visit([&](const auto& params) { add_splits(add, op, params, config); }, op.params);
  // Every operator scales with its batch.
  if (op.batch > 1 && !batch_in_gemm_rows(op)) {
    add.add(SplitKind::kBatch, op.batch, 1, [](Operator& part, uint64_t b0, uint64_t b1) {
      part.batch = as_u32(b1 - b0);
      return true;
    });
  }
  for (CorePartition& candidate : add.take()) candidates.push_back(std::move(candidate));
  return candidates;
}

}  // namespace npusim
