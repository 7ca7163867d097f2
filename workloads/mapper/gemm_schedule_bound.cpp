// Lower bound on a GEMM plan's estimated time (see gemm_schedule_bound.h).
#include "workloads/mapper/gemm_schedule_bound.h"

#include <algorithm>
#include <array>
#include <utility>

#include "arch/timing/systolic_timing.h"

namespace npusim {
namespace {

// (size, count) of the full tiles and the remainder tile of a dimension.
std::array<std::pair<uint64_t, uint64_t>, 2> full_and_rest(uint64_t extent, uint64_t tile) {
  return {{{tile, extent / tile}, {extent % tile, extent % tile > 0 ? 1 : 0}}};
}

// The fewest array cycles a tile (or its weight chunks together) can take, streamed back to back.
double tile_floor_cycles(const ArrayShape& array, Dataflow dataflow, const GemmShape& tile) {
  const SpatialMapping mapping = spatial_mapping(dataflow, tile);
  const auto folds = static_cast<double>(fold_count(array, mapping));
  const auto arrays = static_cast<double>(std::max<uint32_t>(array.count, 1));
  // REFERENCE.md §2: weight and input stationary preload H rows of operands per fold; OS preloads none.
  const double preload = dataflow == Dataflow::kOutputStationary ? 0.0 : static_cast<double>(array.rows);
  const double stream = folds * static_cast<double>(mapping.t) / (arrays * array.macs_per_pe_cycle);
  const double rounds = static_cast<double>(ceil_div(fold_count(array, mapping), std::max<uint32_t>(array.count, 1)));
  return std::max(stream, rounds * preload);
}

}  // namespace

double gemm_schedule_lower_bound_cycles(const GemmProblem& p, const GemmPlan& plan, const NpuConfig& config) {
  const ArrayShape array = array_shape(config.array, p.dtype);
  const double fixed = static_cast<double>(config.dma.setup_cycles + dram_latency_cycles(config));
  double per_repeat = 0.0;
  for (const MTileRun& run : plan.m_tiling.runs) {
    for (const auto& [n, n_count] : full_and_rest(p.n, plan.n_tile)) {
      for (const auto& [k_units, k_count] : full_and_rest(p.k_units, plan.k_tile_units)) {
        if (n_count == 0 || k_count == 0) continue;
        const GemmShape tile{run.tile.m, n, k_units * p.k_per_unit};
        per_repeat += static_cast<double>(run.count * n_count * k_count) *
                      tile_floor_cycles(array, config.array.dataflow, tile);
      }
    }
  }
  const double array_cycles =
      per_repeat * static_cast<double>(plan.m_tiling.repeat * p.gemm_count) + 2.0 * fixed;
  const double dram_cycles = static_cast<double>(plan.dram_bytes()) / dram_bytes_per_cycle(config) + 2.0 * fixed;
  return std::max(array_cycles, dram_cycles);
}

}  // namespace npusim
