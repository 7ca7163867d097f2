#include "arch/timing/scalesim_timing.h"

#include <algorithm>
#include <array>

namespace npusim {
namespace {

// The per-fold denominator of compute utilisation: the row count of the demand matrix SCALE-Sim
// measures it on, plus its width, minus 1 (cycles_this_fold = shape[0] + shape[1] - 1):
// OS the ofmap demand ((T-1) + H rows, W wide) -> L; WS the filter demand (H + (H + W + T - 2) rows)
// and IS the ifmap demand (same rows), both W wide -> T + 2H + 2W - 3.
Cycles util_cycles(const ArrayShape& array, Dataflow dataflow, uint64_t t) {
  if (dataflow == Dataflow::kOutputStationary) return fold_cycles(array, dataflow, t);
  return t + 2 * uint64_t{array.rows} + 2 * uint64_t{array.cols} - 3;
}

uint64_t used(uint64_t extent, uint64_t fold, uint32_t size) {
  return std::min<uint64_t>(size, extent - fold * size);
}

}  // namespace

ScaleSimFold scalesim_fold(const ArrayShape& array, const SpatialMapping& mapping, uint64_t index) {
  const uint64_t row_folds = ceil_div(mapping.sr, array.rows);
  ScaleSimFold fold;
  fold.row_fold = index % row_folds;
  fold.col_fold = index / row_folds;
  fold.rows_used = used(mapping.sr, fold.row_fold, array.rows);
  fold.cols_used = used(mapping.sc, fold.col_fold, array.cols);
  return fold;
}

GemmShape scalesim_fold_gemm(Dataflow dataflow, const SpatialMapping& mapping, const ScaleSimFold& fold) {
  switch (dataflow) {
    case Dataflow::kOutputStationary: return {fold.rows_used, fold.cols_used, mapping.t};
    case Dataflow::kWeightStationary: return {mapping.t, fold.cols_used, fold.rows_used};
    case Dataflow::kInputStationary: return {fold.cols_used, mapping.t, fold.rows_used};
  }
  return {fold.rows_used, fold.cols_used, mapping.t};
}

ScaleSimLayerTiming scalesim_layer_timing(const ArrayShape& array, Dataflow dataflow, const GemmShape& gemm,
                                          uint64_t repeats) {
  ScaleSimLayerTiming out;
  out.mapping = spatial_mapping(dataflow, gemm);
  const SpatialMapping& s = out.mapping;
  out.row_folds = ceil_div(s.sr, array.rows);
  out.col_folds = ceil_div(s.sc, array.cols);
  out.folds = out.row_folds * out.col_folds * repeats;
  out.fold_cycles = fold_cycles(array, dataflow, s.t);
  out.util_fold_cycles = util_cycles(array, dataflow, s.t);
  out.compute_cycles = out.folds * out.fold_cycles - 1;

  // Per-fold terms exactly as Python forms them: int / int true division, correctly rounded (all
  // operands stay below 2^53, so double division rounds the same way). Index: [last row fold][last col fold].
  const uint64_t pes = uint64_t{array.rows} * array.cols;
  const std::array<uint64_t, 2> rows{array.rows, s.sr - (out.row_folds - 1) * array.rows};
  const std::array<uint64_t, 2> cols{array.cols, s.sc - (out.col_folds - 1) * array.cols};
  double mapping_term[2][2];
  double util_term[2][2];
  for (int r = 0; r < 2; ++r) {
    for (int c = 0; c < 2; ++c) {
      const uint64_t mac_used = rows[r] * cols[c];
      mapping_term[r][c] = static_cast<double>(mac_used) / static_cast<double>(pes);
      util_term[r][c] = static_cast<double>(mac_used * s.t) / static_cast<double>(pes * out.util_fold_cycles);
    }
  }
  // get_avg_*(): sum(per_fold_list) / len(per_fold_list). CPython <= 3.11 sums floats left to right
  // (3.12+ compensates and can differ in the last bit); the list is in fold order, column fold outer.
  double mapping_sum = 0.0;
  double util_sum = 0.0;
  for (uint64_t rep = 0; rep < repeats; ++rep) {
    for (uint64_t fc = 0; fc < out.col_folds; ++fc) {
      const int c = fc + 1 == out.col_folds ? 1 : 0;
      for (uint64_t fr = 0; fr < out.row_folds; ++fr) {
        const int r = fr + 1 == out.row_folds ? 1 : 0;
        mapping_sum += mapping_term[r][c];
        util_sum += util_term[r][c];
      }
    }
  }
  out.mapping_efficiency = mapping_sum / static_cast<double>(out.folds);
  out.compute_utilisation = util_sum / static_cast<double>(out.folds);

  const ArraySramTraffic traffic = array_sram_traffic(array, dataflow, gemm);
  out.sram.ifmap_reads = traffic.ifmap_reads * repeats;
  out.sram.filter_reads = traffic.filter_reads * repeats;
  out.sram.ofmap_writes = traffic.ofmap_writes * repeats;
  // systolic_compute_os.create_ofmap_demand_mat() also adds the padded fold's shape[0] + shape[1]
  // (H + W) to ofmap_writes once per fold; SCALE-Sim reports that count, so it is reproduced here.
  if (dataflow == Dataflow::kOutputStationary) out.sram.ofmap_writes += out.folds * (array.rows + array.cols);
  return out;
}

bool scalesim_operand_resident(uint64_t operand_bytes, uint32_t sram_kb) {
  // read_buffer.set_params(): active_buf_size = ceil(total_words * 0.5) with active_buf_frac 0.5.
  return operand_bytes <= uint64_t{sram_kb} * 512;
}

ScaleSimDramCounts scalesim_cold_dram_traffic(const ArrayShape& array, Dataflow dataflow, const GemmShape& g,
                                              const ScaleSimConfig& config, uint32_t word_bytes,
                                              uint64_t repeats) {
  const SpatialMapping s = spatial_mapping(dataflow, g);
  const uint64_t row_folds = ceil_div(s.sr, array.rows);
  const uint64_t col_folds = ceil_div(s.sc, array.cols);
  const uint64_t ifmap = g.m * g.k;
  const uint64_t filter = g.k * g.n;
  // The operand whose tile depends on the row fold only is re-fetched for every column fold unless
  // it stays resident (or there is a single row fold); the other operand is fetched once.
  const auto reused = [&](uint64_t words, uint32_t kb) {
    return scalesim_operand_resident(words * word_bytes, kb) || row_folds == 1 ? words : words * col_folds;
  };
  ScaleSimDramCounts out;
  switch (dataflow) {
    case Dataflow::kOutputStationary:  // ifmap tile = row fold of M (all K); filter tile = column fold of N
    case Dataflow::kWeightStationary:  // ifmap tile = all M x row fold of K; filter tile = both folds
      out.ifmap_reads = reused(ifmap, config.ifmap_sram_kb);
      out.filter_reads = filter;
      break;
    case Dataflow::kInputStationary:  // ifmap tile = both folds; filter tile = row fold of K (all N)
      out.ifmap_reads = ifmap;
      out.filter_reads = reused(filter, config.filter_sram_kb);
      break;
  }
  out.ofmap_writes = dataflow == Dataflow::kOutputStationary ? g.m * g.n : g.m * g.n * row_folds;
  out.ifmap_reads *= repeats;
  out.filter_reads *= repeats;
  out.ofmap_writes *= repeats;
  return out;
}

Cycles scalesim_total_cycles(Cycles compute_cycles, Cycles stall_cycles) {
  return compute_cycles + stall_cycles;
}

double scalesim_overall_utilisation(uint64_t macs, Cycles compute_cycles, Cycles stall_cycles,
                                    const ArrayShape& array) {
  const Cycles total = scalesim_total_cycles(compute_cycles, stall_cycles);
  return static_cast<double>(macs) / (static_cast<double>(total) * array.rows * array.cols);
}

double scalesim_overall_util_percent(uint64_t macs, Cycles compute_cycles, Cycles stall_cycles,
                                     const ArrayShape& array) {
  // (self.num_compute * 100) / (self.total_cycles * self.num_mac_unit): one rounding of exact integers.
  const Cycles total = scalesim_total_cycles(compute_cycles, stall_cycles);
  return static_cast<double>(macs * 100) / static_cast<double>(total * array.rows * array.cols);
}

double scalesim_percent(double fraction) { return fraction * 100; }

}  // namespace npusim
