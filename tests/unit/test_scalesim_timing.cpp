// SCALE-Sim accounting: every number derived from scale-sim-v2's demand-matrix shapes (see
// arch/timing/scalesim_timing.h): L = T+H+W-2 (OS) or T+2H+W-2 (WS/IS), compute = folds*L - 1,
// mapping eff = mean(mac_used / HW), compute util = mean(mac_used*T / (HW*C)), C = L (OS) or
// T+2H+2W-3 (WS/IS); folds in order column fold outer, row fold inner.
#include <doctest/doctest.h>

#include "arch/timing/scalesim_timing.h"

namespace npusim {
namespace {

constexpr Dataflow kOs = Dataflow::kOutputStationary;
constexpr Dataflow kWs = Dataflow::kWeightStationary;
constexpr Dataflow kIs = Dataflow::kInputStationary;

// Each fold, as a tile, must take exactly L cycles on the array model with overlap off.
void check_fold_tiles(const ArrayShape& array, Dataflow dataflow, const GemmShape& gemm) {
  const ScaleSimLayerTiming t = scalesim_layer_timing(array, dataflow, gemm);
  for (uint64_t i = 0; i < t.folds; ++i) {
    const ScaleSimFold fold = scalesim_fold(array, t.mapping, i);
    CHECK(gemm_tile_cycles(array, dataflow, scalesim_fold_gemm(dataflow, t.mapping, fold), false) ==
          t.fold_cycles);
  }
}

}  // namespace

TEST_CASE("scalesim OS on a square array with partial row and column folds") {
  // GEMM M=20 N=10 K=16 on 8x8, OS: Sr=M=20, Sc=N=10, T=K=16; ceil(20/8)=3 row folds, ceil(10/8)=2
  // column folds, 6 folds; L = 16+8+8-2 = 30; compute = 6*30-1 = 179.
  const ScaleSimLayerTiming t = scalesim_layer_timing({8, 8}, kOs, {20, 10, 16});
  CHECK(t.row_folds == 3);
  CHECK(t.col_folds == 2);
  CHECK(t.folds == 6);
  CHECK(t.fold_cycles == 30);
  CHECK(t.util_fold_cycles == 30);
  CHECK(t.compute_cycles == 179);
  // rows used 8,8,4; cols used 8 then 2: terms 64,64,32,16,16,8 /64 = 1,1,.5,.25,.25,.125, all exact.
  CHECK(t.mapping_efficiency == 3.125 / 6);
  // = 20*10 / (6*64) * 16/30
  CHECK(t.compute_utilisation == doctest::Approx(200.0 * 16 / (6 * 64 * 30)).epsilon(1e-12));
  // ifmap M*K*col_folds = 640; filter K*N*row_folds = 480; ofmap M*N + folds*(H+W) = 200 + 96.
  CHECK(t.sram.ifmap_reads == 640);
  CHECK(t.sram.filter_reads == 480);
  CHECK(t.sram.ofmap_writes == 296);
  CHECK(scalesim_fold(ArrayShape{8, 8}, t.mapping, 2).rows_used == 4);  // fold 2 = (row fold 2, col fold 0)
  CHECK(scalesim_fold(ArrayShape{8, 8}, t.mapping, 5).cols_used == 2);
  check_fold_tiles({8, 8}, kOs, {20, 10, 16});
}

TEST_CASE("scalesim WS on a square array: preload row and the T+2H+2W-3 utilisation cycles") {
  // WS: Sr=K=16, Sc=N=10, T=M=20; 2x2 = 4 folds; L = 20+16+8-2 = 42; compute = 4*42-1 = 167.
  const ScaleSimLayerTiming t = scalesim_layer_timing({8, 8}, kWs, {20, 10, 16});
  CHECK(t.folds == 4);
  CHECK(t.fold_cycles == 42);
  CHECK(t.compute_cycles == 167);
  CHECK(t.util_fold_cycles == 49);  // 20 + 16 + 16 - 3
  // terms 1, 1, 16/64, 16/64 -> 2.5 / 4
  CHECK(t.mapping_efficiency == 0.625);
  CHECK(t.compute_utilisation == doctest::Approx(0.625 * 20 / 49).epsilon(1e-12));
  // ifmap M*K*col_folds = 640; filter K*N = 160; ofmap M*N*row_folds = 400.
  CHECK(t.sram.ifmap_reads == 640);
  CHECK(t.sram.filter_reads == 160);
  CHECK(t.sram.ofmap_writes == 400);
  check_fold_tiles({8, 8}, kWs, {20, 10, 16});
}

TEST_CASE("scalesim IS on a square array") {
  // IS: Sr=K=16, Sc=M=20, T=N=10; 2 row x 3 column folds; L = 10+16+8-2 = 32; compute = 6*32-1 = 191.
  const ScaleSimLayerTiming t = scalesim_layer_timing({8, 8}, kIs, {20, 10, 16});
  CHECK(t.folds == 6);
  CHECK(t.fold_cycles == 32);
  CHECK(t.compute_cycles == 191);
  CHECK(t.util_fold_cycles == 39);  // 10 + 16 + 16 - 3
  // cols used 8, 8, 4: terms 1,1,1,1,.5,.5 -> 5 / 6
  CHECK(t.mapping_efficiency == 5.0 / 6);
  CHECK(t.compute_utilisation == doctest::Approx(320.0 * 10 / (6 * 64 * 39)).epsilon(1e-12));
  // ifmap M*K = 320; filter K*N*col_folds = 480; ofmap M*N*row_folds = 400.
  CHECK(t.sram.ifmap_reads == 320);
  CHECK(t.sram.filter_reads == 480);
  CHECK(t.sram.ofmap_writes == 400);
  check_fold_tiles({8, 8}, kIs, {20, 10, 16});
}

TEST_CASE("scalesim on rectangular and degenerate arrays") {
  SUBCASE("4 rows x 16 cols, OS") {
    // M=10 N=40 K=7: 3 row folds (4,4,2 rows), 3 column folds (16,16,8 cols); L = 7+4+16-2 = 25.
    const ScaleSimLayerTiming t = scalesim_layer_timing({4, 16}, kOs, {10, 40, 7});
    CHECK(t.folds == 9);
    CHECK(t.compute_cycles == 9 * 25 - 1);
    // terms (col fold outer): 1,1,.5, 1,1,.5, .5,.5,.25 = 6.25
    CHECK(t.mapping_efficiency == 6.25 / 9);
    CHECK(t.compute_utilisation == doctest::Approx(400.0 * 7 / (9 * 64 * 25)).epsilon(1e-12));
    check_fold_tiles({4, 16}, kOs, {10, 40, 7});
  }
  SUBCASE("1 x 8, WS") {
    // M=5 N=12 K=3: Sr=3 (3 row folds of 1), Sc=12 (8, 4), T=5; L = 5+2+8-2 = 13; C = 5+2+16-3 = 20.
    const ScaleSimLayerTiming t = scalesim_layer_timing({1, 8}, kWs, {5, 12, 3});
    CHECK(t.folds == 6);
    CHECK(t.compute_cycles == 77);
    CHECK(t.mapping_efficiency == 0.75);     // terms 1,1,1,.5,.5,.5
    CHECK(t.compute_utilisation == 0.1875);  // terms 40/160 x3, 20/160 x3 = 1.125, exact
    check_fold_tiles({1, 8}, kWs, {5, 12, 3});
  }
  SUBCASE("8 x 1, IS") {
    // M=3 N=4 K=20: Sr=20 (8,8,4), Sc=3 (1 each), T=4; L = 4+16+1-2 = 19 = C = 4+16+2-3.
    const ScaleSimLayerTiming t = scalesim_layer_timing({8, 1}, kIs, {3, 4, 20});
    CHECK(t.folds == 9);
    CHECK(t.compute_cycles == 170);
    CHECK(t.util_fold_cycles == t.fold_cycles);
    CHECK(t.mapping_efficiency == 7.5 / 9);  // terms 1,1,.5 three times
    check_fold_tiles({8, 1}, kIs, {3, 4, 20});
  }
  SUBCASE("1 x 1, OS: every fold is one PE for K cycles") {
    // M=2 N=3 K=5: 6 folds, L = 5+1+1-2 = 5, compute 29; mapping 1, utilisation 5/5.
    const ScaleSimLayerTiming t = scalesim_layer_timing({1, 1}, kOs, {2, 3, 5});
    CHECK(t.compute_cycles == 29);
    CHECK(t.mapping_efficiency == 1.0);
    CHECK(t.compute_utilisation == 1.0);
  }
  SUBCASE("layer smaller than the array") {
    // M=3 N=5 K=2 on 8x8 OS: one fold, L = 2+8+8-2 = 16, compute 15; 15/64 and 15*2/(64*16), both exact.
    const ScaleSimLayerTiming t = scalesim_layer_timing({8, 8}, kOs, {3, 5, 2});
    CHECK(t.folds == 1);
    CHECK(t.compute_cycles == 15);
    CHECK(t.mapping_efficiency == 15.0 / 64);
    CHECK(t.compute_utilisation == 30.0 / 1024);
    check_fold_tiles({8, 8}, kWs, {3, 5, 2});
    check_fold_tiles({8, 8}, kIs, {3, 5, 2});
  }
}

TEST_CASE("scalesim repeats, totals and utilisation percentages") {
  // Three back-to-back copies of the WS case above: 12 folds, 12*42-1 = 503 cycles, same efficiency.
  const ScaleSimLayerTiming t = scalesim_layer_timing({8, 8}, kWs, {20, 10, 16}, 3);
  CHECK(t.folds == 12);
  CHECK(t.compute_cycles == 503);
  CHECK(t.mapping_efficiency == 0.625);
  CHECK(t.sram.filter_reads == 480);
  // OS case: 3200 MACs, total = 179 + 21 stalls = 200: 3200 / (200 * 64) = 0.25.
  CHECK(scalesim_total_cycles(179, 21) == 200);
  CHECK(scalesim_overall_utilisation(3200, 179, 21, {8, 8}) == 0.25);
  // (MACs * 100) / (total * H * W) with no stalls: 320000 / (179 * 64), one rounding as in Python.
  CHECK(scalesim_overall_util_percent(3200, 179, 0, {8, 8}) == 320000.0 / 11456.0);
  CHECK(scalesim_percent(0.625) == 62.5);
}

TEST_CASE("scalesim cold DRAM traffic follows SRAM-half residency") {
  // GEMM M=100 N=10 K=16: ifmap 1600 words, filter 160. 1 kB SRAMs: halves of 512 words.
  ScaleSimConfig small;
  small.ifmap_sram_kb = small.filter_sram_kb = small.ofmap_sram_kb = 1;
  ScaleSimConfig large;  // 64 kB: everything resident
  const GemmShape g{100, 10, 16};
  SUBCASE("OS") {
    // ifmap tile = row fold of M; 13 row folds, 2 column folds: not resident -> 1600 * 2.
    CHECK(scalesim_cold_dram_traffic({8, 8}, kOs, g, small).ifmap_reads == 3200);
    CHECK(scalesim_cold_dram_traffic({8, 8}, kOs, g, large).ifmap_reads == 1600);
    CHECK(scalesim_cold_dram_traffic({8, 8}, kOs, g, small).filter_reads == 160);
    CHECK(scalesim_cold_dram_traffic({8, 8}, kOs, g, small).ofmap_writes == 1000);
  }
  SUBCASE("WS") {
    // ifmap tile = row fold of K (2 of them), re-read for each of 2 column folds; ofmap M*N*2.
    CHECK(scalesim_cold_dram_traffic({8, 8}, kWs, g, small).ifmap_reads == 3200);
    CHECK(scalesim_cold_dram_traffic({8, 8}, kWs, g, small).filter_reads == 160);
    CHECK(scalesim_cold_dram_traffic({8, 8}, kWs, g, small).ofmap_writes == 2000);
  }
  SUBCASE("IS") {
    // filter tile = row fold of K: 160 words fit the 512-word half, fetched once.
    const ScaleSimDramCounts d = scalesim_cold_dram_traffic({8, 8}, kIs, g, small);
    CHECK(d.ifmap_reads == 1600);
    CHECK(d.filter_reads == 160);
    CHECK(d.ofmap_writes == 2000);
  }
  CHECK(scalesim_operand_resident(512, 1));
  CHECK_FALSE(scalesim_operand_resident(513, 1));
}

}  // namespace npusim
