// GEMM tiling search space: candidate tile sizes, M tilings of sliding windows, the GemmProblem.
#include "workloads/mapper/gemm_search_space.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "workloads/mapper/hardware_limits.h"

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

namespace {

// Conv and pooling name their window fields alike.
template <class WindowParams>
WindowGeometry sliding_window(uint32_t batch, const WindowParams& p, uint32_t out_h, uint32_t out_w) {
  WindowGeometry g;
  g.batch = batch;
  g.in_h = p.in_h;
  g.in_w = p.in_w;
  g.kernel_h = p.kernel_h;
  g.kernel_w = p.kernel_w;
  g.stride_h = p.stride_h;
  g.stride_w = p.stride_w;
  g.pad_top = p.pad_top;
  g.pad_left = p.pad_left;
  g.out_h = out_h;
  g.out_w = out_w;
  return g;
}

}  // namespace

WindowGeometry conv_window(const Operator& op, const ConvParams& conv) {
  return sliding_window(op.batch, conv, conv_out_h(conv), conv_out_w(conv));
}

WindowGeometry pool_window(const Operator& op, const PoolParams& pool) {
  WindowGeometry g = sliding_window(op.batch, pool, pool_out_h(pool), pool_out_w(pool));
  if (pool.global) {  // one window over the whole input
    g.kernel_h = pool.in_h;
    g.kernel_w = pool.in_w;
    g.stride_h = g.stride_w = 1;
    g.pad_top = g.pad_left = 0;
  }
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

GemmProblem make_gemm_problem(const Operator& op, const NpuConfig& config) {
  const GemmView view = gemm_view(op);
  const ArrayAlignment align = array_alignment(config.array);
  GemmProblem problem;
  problem.dtype = op.dtype;
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

}  // namespace npusim
