// Systolic tile timing: the per-fold formulas (REFERENCE.md §2), fold overlap and back-to-back tiles.
#include <doctest/doctest.h>

#include "arch/timing/systolic_timing.h"

using namespace npusim;

TEST_CASE("systolic timing: weight-stationary tile on an 8x8 array") {
  // one fold (K=8 <= rows, N=8 <= cols): T + 2H + W - 2 = 16 + 16 + 8 - 2 = 38 cycles, overlap or not
  const ArrayShape array{8, 8};
  CHECK(gemm_tile_cycles(array, Dataflow::kWeightStationary, GemmShape{16, 8, 8}, false) == 38);
  CHECK(gemm_tile_cycles(array, Dataflow::kWeightStationary, GemmShape{16, 8, 8}, true) == 38);
}

TEST_CASE("systolic timing: fold overlap and back-to-back tiles") {
  // WS, M=100, N=16, K=16 on 8x8: Sr = K = 16, Sc = N = 16 -> 4 folds, T = 100.
  const ArrayShape array{8, 8};
  const GemmShape gemm{100, 16, 16};
  // no overlap: 4 * (100 + 16 + 8 - 2) = 488
  CHECK(gemm_tile_cycles(array, Dataflow::kWeightStationary, gemm, false) == 488);
  // overlap: preload 8 + 4 * max(100, 8) + 8 + 8 - 2 = 422
  CHECK(gemm_tile_cycles(array, Dataflow::kWeightStationary, gemm, true) == 422);
  // streamed behind a previous tile: 4 * 100 = 400 (preload and skew hidden)
  CHECK(gemm_tile_streamed_cycles(array, Dataflow::kWeightStationary, gemm) == 400);
  // a short stream (T = 4 < preload 8) is limited by the weight preload: 4 * 8 = 32
  CHECK(gemm_tile_streamed_cycles(array, Dataflow::kWeightStationary, GemmShape{4, 16, 16}) == 32);
  // output stationary has no preload: Sr = M = 100 -> 13 row folds, Sc = N = 16 -> 2 column folds,
  // T = K = 16: 26 folds of max(16, 0) = 416
  CHECK(gemm_tile_streamed_cycles(array, Dataflow::kOutputStationary, gemm) == 26 * 16);
}
