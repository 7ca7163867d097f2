#include "workloads/mapper/gemm_tiling.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <utility>

#include "arch/timing/systolic_timing.h"
#include "arch/spec/input_error.h"

namespace npusim {

std::vector<uint64_t> aligned_tile_sizes(uint64_t extent, uint64_t alignment) {
  std::vector<uint64_t> sizes;
  const uint64_t units = ceil_div(std::max<uint64_t>(extent, 1), std::max<uint64_t>(alignment, 1));
  // ceil(extent / (t*alignment)) == ceil(units / t): walk the distinct tile counts, O(sqrt(units)).
  uint64_t tile_units = 1;
  while (true) {
    const uint64_t count = ceil_div(units, tile_units);
    sizes.push_back(std::min(tile_units * std::max<uint64_t>(alignment, 1), std::max<uint64_t>(extent, 1)));
    if (count == 1) break;
    tile_units = ceil_div(units, count - 1);  // smallest tile that needs fewer tiles
  }
  return sizes;
}

WindowGeometry conv_window(const Operator& op, const ConvParams& conv) {
  WindowGeometry g;
  g.batch = op.batch;
  g.in_h = conv.in_h;
  g.in_w = conv.in_w;
  g.kernel_h = conv.kernel_h;
  g.kernel_w = conv.kernel_w;
  g.stride_h = conv.stride_h;
  g.stride_w = conv.stride_w;
  g.pad_top = conv.pad_top;
  g.pad_left = conv.pad_left;
  g.out_h = conv_out_h(conv);
  g.out_w = conv_out_w(conv);
  return g;
}

WindowGeometry pool_window(const Operator& op, const PoolParams& pool) {
  WindowGeometry g;
  g.batch = op.batch;
  g.in_h = pool.in_h;
  g.in_w = pool.in_w;
  g.out_h = pool_out_h(pool);
  g.out_w = pool_out_w(pool);
  if (pool.global) {  // one window over the whole input
    g.kernel_h = pool.in_h;
    g.kernel_w = pool.in_w;
    return g;
  }
  g.kernel_h = pool.kernel_h;
  g.kernel_w = pool.kernel_w;
  g.stride_h = pool.stride_h;
  g.stride_w = pool.stride_w;
  g.pad_top = pool.pad_top;
  g.pad_left = pool.pad_left;
  return g;
}

uint64_t window_input_extent(uint64_t out_begin, uint64_t out_end, uint32_t stride, uint32_t kernel,
                             uint32_t pad_before, uint32_t in_extent) {
  const auto clipped = [in_extent](int64_t lo, int64_t hi) -> uint64_t {
    lo = std::max<int64_t>(lo, 0);
    hi = std::min<int64_t>(hi, in_extent);
    return hi > lo ? static_cast<uint64_t>(hi - lo) : 0;
  };
  const auto start = [&](uint64_t out) { return static_cast<int64_t>(out * stride) - int64_t{pad_before}; };
  if (out_end <= out_begin) return 0;
  // Overlapping or touching windows cover one contiguous range: (outputs-1)*stride + kernel.
  if (stride <= kernel) return clipped(start(out_begin), start(out_end - 1) + kernel);
  uint64_t used = 0;
  for (uint64_t out = out_begin; out < out_end; ++out) used += clipped(start(out), start(out) + kernel);
  return used;
}

namespace {

void push_tile(std::vector<MTileRun>& runs, uint64_t m, uint64_t a_units) {
  if (!runs.empty() && runs.back().tile.m == m && runs.back().tile.a_units == a_units) {
    ++runs.back().count;
    return;
  }
  runs.push_back({{m, a_units}, 1});
}

MTiling finish(MTiling tiling) {
  for (const MTileRun& run : tiling.runs) {
    tiling.tiles += run.count * tiling.repeat;
    tiling.max_m = std::max(tiling.max_m, run.tile.m);
    tiling.max_a_units = std::max(tiling.max_a_units, run.tile.a_units);
    tiling.sum_a_units += run.count * tiling.repeat * run.tile.a_units;
  }
  return tiling;
}

uint64_t rows_used(const WindowGeometry& g, uint64_t begin, uint64_t end) {
  return window_input_extent(begin, end, g.stride_h, g.kernel_h, g.pad_top, g.in_h);
}
uint64_t cols_used(const WindowGeometry& g, uint64_t begin, uint64_t end) {
  return window_input_extent(begin, end, g.stride_w, g.kernel_w, g.pad_left, g.in_w);
}

MTiling image_tiling(const WindowGeometry& g, uint64_t images) {
  const uint64_t image_m = uint64_t{g.out_h} * g.out_w;
  const uint64_t image_a = rows_used(g, 0, g.out_h) * cols_used(g, 0, g.out_w);
  MTiling tiling;
  for (uint64_t first = 0; first < g.batch; first += images) {
    const uint64_t count = std::min<uint64_t>(images, g.batch - first);
    push_tile(tiling.runs, count * image_m, count * image_a);
  }
  return finish(std::move(tiling));
}

MTiling row_tiling(const WindowGeometry& g, uint64_t rows) {
  const uint64_t cols = cols_used(g, 0, g.out_w);
  MTiling tiling;
  tiling.repeat = g.batch;
  for (uint64_t first = 0; first < g.out_h; first += rows) {
    const uint64_t last = std::min<uint64_t>(first + rows, g.out_h);
    push_tile(tiling.runs, (last - first) * g.out_w, rows_used(g, first, last) * cols);
  }
  return finish(std::move(tiling));
}

MTiling segment_tiling(const WindowGeometry& g, uint64_t width) {
  MTiling tiling;
  tiling.repeat = g.batch;
  for (uint64_t row = 0; row < g.out_h; ++row) {
    const uint64_t rows = rows_used(g, row, row + 1);
    for (uint64_t first = 0; first < g.out_w; first += width) {
      const uint64_t last = std::min<uint64_t>(first + width, g.out_w);
      push_tile(tiling.runs, last - first, rows * cols_used(g, first, last));
    }
  }
  return finish(std::move(tiling));
}

}  // namespace

MTiling uniform_m_tiling(uint64_t extent, uint64_t tile) {
  MTiling tiling;
  if (extent / tile > 0) tiling.runs.push_back({{tile, tile}, extent / tile});
  if (extent % tile > 0) tiling.runs.push_back({{extent % tile, extent % tile}, 1});
  return finish(std::move(tiling));
}

std::vector<MTiling> window_m_tilings(const WindowGeometry& g) {
  std::vector<MTiling> tilings;
  for (uint64_t images : aligned_tile_sizes(g.batch, 1)) tilings.push_back(image_tiling(g, images));
  for (uint64_t rows : aligned_tile_sizes(g.out_h, 1)) {
    if (rows < g.out_h) tilings.push_back(row_tiling(g, rows));
  }
  // Part of a row: only chosen when a whole output row's tile cannot fit.
  for (uint64_t width : aligned_tile_sizes(g.out_w, 1)) {
    if (width < g.out_w) tilings.push_back(segment_tiling(g, width));
  }
  return tilings;
}

std::vector<MTile> expand_m_tiles(const MTiling& tiling) {
  std::vector<MTile> tiles;
  tiles.reserve(tiling.tiles);
  for (uint64_t r = 0; r < tiling.repeat; ++r) {
    for (const MTileRun& run : tiling.runs) tiles.insert(tiles.end(), run.count, run.tile);
  }
  return tiles;
}

const char* loop_order_name(LoopOrder order) { return order == LoopOrder::kMNK ? "m-n-k" : "n-m-k"; }

uint64_t reload_factor(const std::vector<LoopLevel>& loops_outermost_first) {
  std::optional<size_t> innermost;
  for (size_t i = 0; i < loops_outermost_first.size(); ++i) {
    if (loops_outermost_first[i].relevant && loops_outermost_first[i].trips > 1) innermost = i;
  }
  if (!innermost) return 1;  // a single tile: loaded once
  uint64_t factor = 1;
  for (size_t i = 0; i < *innermost; ++i) {
    if (!loops_outermost_first[i].relevant) factor *= loops_outermost_first[i].trips;
  }
  return factor;
}

namespace {

struct DimAlignment {
  uint64_t m = 1, n = 1, k = 1;
};

// Spatially mapped dims tile in multiples of the array side they occupy, so only the last tile leaves
// PEs idle; the dim streamed in time has no alignment. Asking spatial_mapping keeps this in step with
// the timing model's dataflow table.
DimAlignment dim_alignment(const ArrayConfig& array) {
  const SpatialMapping probe = spatial_mapping(array.dataflow, GemmShape{1, 2, 3});
  const auto side = [&](uint64_t dim) -> uint64_t {
    if (probe.sr == dim) return array.rows;
    if (probe.sc == dim) return array.cols;
    return 1;
  };
  return {side(1), side(2), side(3)};
}

}  // namespace

GemmProblem make_gemm_problem(const Operator& op, const NpuConfig& config) {
  const GemmView view = gemm_view(op);
  const DimAlignment align = dim_alignment(config.array);
  GemmProblem problem;
  problem.elem_bytes = dtype_bytes(op.dtype);
  problem.acc_bytes = accumulator_bytes(op.dtype);
  problem.m = view.m;
  problem.n = view.n;
  problem.gemm_count = view.gemm_count;
  if (const auto* conv = std::get_if<ConvParams>(&op.params)) {
    problem.k_units = conv->in_c / conv->groups;
    problem.k_per_unit = uint64_t{conv->kernel_h} * conv->kernel_w;
    problem.m_tilings = window_m_tilings(conv_window(op, *conv));
  } else {
    problem.k_units = view.k;
    const auto* mm = std::get_if<MatMulParams>(&op.params);
    if (op.kind == OpKind::kMatMul && mm != nullptr && mm->b_is_weight) {
      // Shared weights: the batch of matmuls is one tall GEMM, so B is not reloaded per batch item.
      problem.m *= problem.gemm_count;
      problem.gemm_count = 1;
    }
    for (uint64_t tile : aligned_tile_sizes(problem.m, align.m)) {
      problem.m_tilings.push_back(uniform_m_tiling(problem.m, tile));
    }
  }
  problem.n_sizes = aligned_tile_sizes(problem.n, align.n);
  // Whole channels per K tile, and a multiple of the array side that K occupies.
  problem.k_unit_sizes = aligned_tile_sizes(problem.k_units, align.k / std::gcd(align.k, problem.k_per_unit));
  return problem;
}

Bytes gemm_footprint_bytes(const GemmProblem& p, const MTiling& m_tiling, uint64_t n_tile,
                           uint64_t k_tile_units) {
  const Bytes a_tile = m_tiling.max_a_units * k_tile_units * p.elem_bytes;
  const Bytes b_tile = k_tile_units * p.k_per_unit * n_tile * p.elem_bytes;
  const Bytes c_tile = m_tiling.max_m * n_tile * p.acc_bytes;
  return 2 * (a_tile + b_tile) + 2 * c_tile;
}

namespace {

struct Traffic {
  Bytes a = 0, b = 0, c = 0;
  Bytes total() const { return a + b + c; }
};

// The traffic rule applied to one GEMM's (m, n, k) nest; the group/batch loop wraps it and is relevant
// to every operand (each group has its own A, B and C), so it multiplies totals, never reloads.
Traffic gemm_traffic(const GemmProblem& p, const MTiling& m_tiling, uint64_t n_tile, uint64_t k_tile_units,
                     LoopOrder order) {
  const uint64_t m_trips = m_tiling.tiles;
  const uint64_t n_trips = ceil_div(p.n, n_tile);
  const uint64_t k_trips = ceil_div(p.k_units, k_tile_units);
  const auto nest = [&](bool m_relevant, bool n_relevant) {
    const LoopLevel m{m_trips, m_relevant};
    const LoopLevel n{n_trips, n_relevant};
    const LoopLevel k{k_trips, true};
    return order == LoopOrder::kMNK ? std::vector<LoopLevel>{m, n, k} : std::vector<LoopLevel>{n, m, k};
  };
  Traffic traffic;
  traffic.a = m_tiling.sum_a_units * p.k_units * p.elem_bytes * reload_factor(nest(true, false));
  traffic.b = p.k_units * p.k_per_unit * p.n * p.elem_bytes * reload_factor(nest(false, true));
  traffic.c = p.m * p.n * p.elem_bytes;
  traffic.a *= p.gemm_count;
  traffic.b *= p.gemm_count;
  traffic.c *= p.gemm_count;
  return traffic;
}

uint64_t gemm_tile_count(const GemmProblem& p, const MTiling& m_tiling, uint64_t n_tile,
                         uint64_t k_tile_units) {
  return p.gemm_count * m_tiling.tiles * ceil_div(p.n, n_tile) * ceil_div(p.k_units, k_tile_units);
}

// (size, count) of the full tiles and the remainder tile of a dimension.
std::array<std::pair<uint64_t, uint64_t>, 2> split(uint64_t extent, uint64_t tile) {
  return {{{tile, extent / tile}, {extent % tile, extent % tile > 0 ? 1 : 0}}};
}

}  // namespace

GemmPlan evaluate_gemm_plan(const GemmProblem& p, const MTiling& m_tiling, uint64_t n_tile,
                            uint64_t k_tile_units, LoopOrder order) {
  const Traffic traffic = gemm_traffic(p, m_tiling, n_tile, k_tile_units, order);
  GemmPlan plan;
  plan.order = order;
  plan.m_tiling = m_tiling;
  plan.n_tile = n_tile;
  plan.k_tile_units = k_tile_units;
  plan.m_trips = m_tiling.tiles;
  plan.n_trips = ceil_div(p.n, n_tile);
  plan.k_trips = ceil_div(p.k_units, k_tile_units);
  plan.compute_tiles = gemm_tile_count(p, m_tiling, n_tile, k_tile_units);
  plan.a_read_bytes = traffic.a;
  plan.b_read_bytes = traffic.b;
  plan.c_write_bytes = traffic.c;
  plan.sram_footprint_bytes = gemm_footprint_bytes(p, m_tiling, n_tile, k_tile_units);
  return plan;
}

Cycles estimate_gemm_cycles(const GemmProblem& p, const MTiling& m_tiling, uint64_t n_tile,
                            uint64_t k_tile_units, const NpuConfig& config) {
  const ArrayShape array{config.array.rows, config.array.cols};
  Cycles per_repeat = 0;
  for (const MTileRun& run : m_tiling.runs) {
    for (const auto& [n, n_count] : split(p.n, n_tile)) {
      for (const auto& [k_units, k_count] : split(p.k_units, k_tile_units)) {
        if (n_count == 0 || k_count == 0) continue;
        const GemmShape tile{run.tile.m, n, k_units * p.k_per_unit};
        per_repeat += run.count * n_count * k_count *
                      gemm_tile_cycles(array, config.array.dataflow, tile, config.array.overlap_folds);
      }
    }
  }
  return per_repeat * m_tiling.repeat * p.gemm_count;
}

namespace {

// Plans whose estimated times differ by less than this fraction count as equally fast.
constexpr double kTimeTolerance = 0.02;

struct Candidate {
  const MTiling* m_tiling = nullptr;
  uint64_t n_tile = 0, k_tile_units = 0;
  LoopOrder order = LoopOrder::kMNK;
  Bytes dram_bytes = 0;
  uint64_t tiles = 0;
  Cycles cycles = 0;  // estimated only to break a tie
  bool cycles_known = false;
};

class BestCandidate {
 public:
  BestCandidate(const GemmProblem& problem, const NpuConfig& config) : problem_(problem), config_(config) {}

  void offer(Candidate candidate) {
    if (found_ && !better(candidate)) return;
    best_ = candidate;
    found_ = true;
  }
  bool found() const { return found_; }
  const Candidate& best() const { return best_; }

 private:
  bool better(Candidate& candidate) {
    // Latency objective, time first: a plan more than kTimeTolerance faster wins even if it moves more bytes (a single
    // tile serialises load, compute and store; a few tiles let DMA hide under compute). Among plans
    // about as fast, the one moving fewer DRAM bytes wins (less energy), then fewer tiles.
    if (config_.mapper.objective == MapperObjective::kLatency) {
      const double candidate_time = estimated_time(candidate);
      const double best_time = estimated_time(best_);
      if (std::fabs(candidate_time - best_time) > kTimeTolerance * std::min(candidate_time, best_time)) {
        return candidate_time < best_time;
      }
    }
    if (candidate.dram_bytes != best_.dram_bytes) return candidate.dram_bytes < best_.dram_bytes;
    if (candidate.tiles != best_.tiles) return candidate.tiles < best_.tiles;
    return cycles(candidate) < cycles(best_);
  }
  // Double-buffered layer time: the longer of compute and DMA, plus one average tile's traffic that
  // cannot overlap (the first load and the last store).
  double estimated_time(Candidate& c) {
    const double bytes_per_cycle = dram_bytes_per_cycle(config_);
    const double dma_cycles = static_cast<double>(c.dram_bytes) / bytes_per_cycle;
    const double exposed = dma_cycles / static_cast<double>(std::max<uint64_t>(c.tiles, 1));
    return std::max(static_cast<double>(cycles(c)), dma_cycles) + exposed;
  }
  Cycles cycles(Candidate& c) {
    if (!c.cycles_known) {
      c.cycles = estimate_gemm_cycles(problem_, *c.m_tiling, c.n_tile, c.k_tile_units, config_);
      c.cycles_known = true;
    }
    return c.cycles;
  }

  const GemmProblem& problem_;
  const NpuConfig& config_;
  Candidate best_;
  bool found_ = false;
};

}  // namespace

GemmPlan plan_gemm(const GemmProblem& p, const NpuConfig& config, const Operator& op) {
  const Bytes capacity = config.sram.capacity_bytes;
  BestCandidate chooser(p, config);
  Bytes smallest = std::numeric_limits<Bytes>::max();
  for (const MTiling& m_tiling : p.m_tilings) {
    smallest =
        std::min(smallest, gemm_footprint_bytes(p, m_tiling, p.n_sizes.front(), p.k_unit_sizes.front()));
    // Sizes ascend and the footprint grows with each, so the first misfit ends the loop.
    for (uint64_t n_tile : p.n_sizes) {
      const auto fits = [&](uint64_t k_tile) {
        return gemm_footprint_bytes(p, m_tiling, n_tile, k_tile) <= capacity;
      };
      if (!fits(p.k_unit_sizes.front())) break;
      // For fixed M and N tiles a larger K tile never adds traffic (fewer K trips can only lower reload
      // factors) and always means fewer tiles, so the largest K tile that fits beats every smaller one.
      const uint64_t k_tile = *(std::partition_point(p.k_unit_sizes.begin(), p.k_unit_sizes.end(), fits) - 1);
      for (LoopOrder order : {LoopOrder::kMNK, LoopOrder::kNMK}) {
        const Bytes dram = gemm_traffic(p, m_tiling, n_tile, k_tile, order).total();
        chooser.offer(
            {&m_tiling, n_tile, k_tile, order, dram, gemm_tile_count(p, m_tiling, n_tile, k_tile), 0, false});
      }
    }
  }
  if (!chooser.found()) throw_sram_too_small(op, smallest, capacity);
  const Candidate& best = chooser.best();
  return evaluate_gemm_plan(p, *best.m_tiling, best.n_tile, best.k_tile_units, best.order);
}

void throw_sram_too_small(const Operator& op, Bytes needed, Bytes available) {
  throw InputError("<npu>", "npu.sram.capacity_bytes",
                   "operator '" + op.name + "' needs " + std::to_string(needed) +
                       " bytes of SRAM for its smallest double-buffered tile, but only " +
                       std::to_string(available) + " bytes are available");
}

}  // namespace npusim
