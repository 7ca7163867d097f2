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

TEST_CASE("systolic timing: several arrays per core share a tile's folds") {
  // WS, M=100, N=16, K=16 on 8x8: 4 folds of T = 100 (as above).
  const GemmShape gemm{100, 16, 16};
  // 2 arrays: 4 folds round-robin = 2 rounds: preload 8 + 2 * 100 + 8 + 8 - 2 = 222
  CHECK(gemm_tile_cycles(ArrayShape{8, 8, 2}, Dataflow::kWeightStationary, gemm, true) == 222);
  // 4 arrays: one round: 8 + 100 + 14 = 122; streamed 100
  CHECK(gemm_tile_cycles(ArrayShape{8, 8, 4}, Dataflow::kWeightStationary, gemm, true) == 122);
  CHECK(gemm_tile_streamed_cycles(ArrayShape{8, 8, 4}, Dataflow::kWeightStationary, gemm) == 100);
  // 8 arrays, 4 folds: each fold shared by 8 / 4 = 2 arrays holding the same weights, each streaming
  // ceil(100 / 2) = 50 rows: 8 + 50 + 14 = 72
  CHECK(gemm_tile_cycles(ArrayShape{8, 8, 8}, Dataflow::kWeightStationary, gemm, true) == 72);
  // 3 arrays, 4 folds: ceil(4 / 3) = 2 rounds (the last one leaves two arrays idle): 8 + 200 + 14 = 222
  CHECK(gemm_tile_cycles(ArrayShape{8, 8, 3}, Dataflow::kWeightStationary, gemm, true) == 222);
  // no overlap, 2 arrays: 2 rounds of (100 + 16 + 8 - 2) = 244
  CHECK(gemm_tile_cycles(ArrayShape{8, 8, 2}, Dataflow::kWeightStationary, gemm, false) == 244);
  // more arrays never slower, on a sweep of shapes
  for (uint64_t m : {1u, 7u, 100u, 1000u}) {
    for (uint32_t count = 1; count < 9; ++count) {
      const GemmShape g{m, 40, 24};
      CHECK(gemm_tile_cycles(ArrayShape{8, 8, count + 1}, Dataflow::kWeightStationary, g, true) <=
            gemm_tile_cycles(ArrayShape{8, 8, count}, Dataflow::kWeightStationary, g, true));
    }
  }
}

TEST_CASE("systolic timing: a per-dtype MAC rate stretches the stream") {
  const GemmShape gemm{100, 16, 16};  // 4 folds, T = 100 on 8x8
  // half rate (bf16 on an int8-rate array): T takes 200 cycles: 8 + 4 * 200 + 14 = 822
  CHECK(gemm_tile_cycles(ArrayShape{8, 8, 1, 0.5}, Dataflow::kWeightStationary, gemm, true) == 822);
  // quarter rate, streamed: 4 * 400
  CHECK(gemm_tile_streamed_cycles(ArrayShape{8, 8, 1, 0.25}, Dataflow::kWeightStationary, gemm) == 1600);
  // T = 3 at half rate: ceil(3 / 0.5) = 6 < preload 8: preload-bound, 4 * 8
  CHECK(gemm_tile_streamed_cycles(ArrayShape{8, 8, 1, 0.5}, Dataflow::kWeightStationary, GemmShape{3, 16, 16}) ==
        32);
}

TEST_CASE("systolic timing: array_shape takes the count and the operand type's rate from the config") {
  ArrayConfig config;
  config.rows = 128;
  config.cols = 128;
  config.count = 4;
  config.dtypes = {DType::kInt8, DType::kBf16, DType::kFp8};
  config.macs_per_pe_cycle = {{DType::kBf16, 0.5}};
  const ArrayShape bf16 = array_shape(config, DType::kBf16);
  CHECK(bf16.count == 4);
  CHECK(bf16.macs_per_pe_cycle == 0.5);
  CHECK(array_shape(config, DType::kFp8).macs_per_pe_cycle == 1.0);  // absent: 1
}
