// Default-mode mapper, vector side: chunking, halos, per-chunk VectorWork and double buffering.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "arch/spec/input_error.h"
#include "tests/support/test_ops.h"
#include "workloads/mapper/mapper.h"
#include "workloads/mapper/vector_lowering.h"

using namespace npusim;
using namespace npusim_test;

namespace {

std::vector<uint32_t> deps_of(const LayerProgram& program, uint32_t id) {
  const Command& c = program.commands[id];
  return {program.deps.begin() + c.dep_begin, program.deps.begin() + c.dep_begin + c.dep_count};
}

std::vector<uint32_t> ids_of(const LayerProgram& program, CommandKind kind) {
  std::vector<uint32_t> ids;
  for (uint32_t i = 0; i < program.commands.size(); ++i) {
    if (program.commands[i].kind == kind) ids.push_back(i);
  }
  return ids;
}

void check_invariants(const LayerProgram& program, const NpuConfig& config) {
  Bytes loaded = 0, stored = 0;
  for (uint32_t i = 0; i < program.commands.size(); ++i) {
    for (uint32_t dep : deps_of(program, i)) CHECK(dep < i);
    if (program.commands[i].kind == CommandKind::kDmaLoad) loaded += program.commands[i].bytes;
    if (program.commands[i].kind == CommandKind::kDmaStore) stored += program.commands[i].bytes;
  }
  CHECK(loaded == program.mapping.planned_dram_read_bytes);
  CHECK(stored == program.mapping.planned_dram_write_bytes);
  CHECK(program.mapping.sram_footprint_bytes <= config.sram.capacity_bytes);
  CHECK(ids_of(program, CommandKind::kVector).size() == program.mapping.tiles);
  CHECK(program.mapping.unit == "vector");
}

Operator pool_op(uint32_t size, uint32_t channels, uint32_t kernel, uint32_t stride, uint32_t pad,
                 bool global) {
  Operator op;
  op.name = "pool";
  op.kind = global ? OpKind::kAvgPool : OpKind::kMaxPool;
  PoolParams pool;
  pool.in_h = pool.in_w = size;
  pool.channels = channels;
  pool.kernel_h = pool.kernel_w = kernel;
  pool.stride_h = pool.stride_w = stride;
  pool.pad_top = pool.pad_bottom = pool.pad_left = pool.pad_right = pad;
  pool.global = global;
  op.params = pool;
  return op;
}

}  // namespace

TEST_CASE("mapper: elementwise cost table") {
  CHECK(eltwise_ops_per_element(EltwiseKind::kAdd) == 1);
  CHECK(eltwise_ops_per_element(EltwiseKind::kRelu) == 1);
  CHECK(eltwise_ops_per_element(EltwiseKind::kSigmoid) > eltwise_ops_per_element(EltwiseKind::kMul));
  CHECK(eltwise_ops_per_element(EltwiseKind::kSilu) > eltwise_ops_per_element(EltwiseKind::kSigmoid));
}

TEST_CASE("mapper: a residual add streams in double-buffered chunks") {
  // 1 MiB int8 output: chunks aim at <= max(1 MiB / 4, 32 KiB) = 256 KiB -> 4 chunks of 262144
  // elements (a multiple of 64 lanes); footprint 2*(2*256 KiB + 256 KiB) = 1.5 MiB <= 2 MiB.
  const NpuConfig config;
  const LayerProgram p = map_operator(add_op(kMiB), 3, config);
  CHECK(p.op_index == 3);
  CHECK(p.mapping.tiles == 4);
  CHECK(p.mapping.sram_footprint_bytes == 3 * 512 * kKiB);
  CHECK(p.mapping.planned_dram_read_bytes == 2 * kMiB);
  CHECK(p.mapping.planned_dram_write_bytes == kMiB);
  const auto vectors = ids_of(p, CommandKind::kVector);
  const auto stores = ids_of(p, CommandKind::kDmaStore);
  REQUIRE(vectors.size() == 4);
  for (size_t c = 0; c < vectors.size(); ++c) {
    const VectorWork& work = p.commands[vectors[c]].vector;
    CHECK(work.kind == VectorOpKind::kElementwise);
    CHECK(work.elements == 262144);
    CHECK(work.ops_per_element == 1);
    CHECK(work.read_bytes == 2 * 262144);
    CHECK(work.write_bytes == 262144);
    // chunk c = [load x, load y, vector, store]: two loads of one input slot, which compute c-2 read
    const uint32_t first_load = vectors[c] - 2;
    const std::vector<uint32_t> slot_free =
        c < 2 ? std::vector<uint32_t>{} : std::vector<uint32_t>{vectors[c - 2]};
    CHECK(deps_of(p, first_load) == slot_free);
    CHECK(deps_of(p, first_load + 1) == slot_free);
    std::vector<uint32_t> expected{first_load, first_load + 1};
    if (c >= 2) expected.push_back(stores[c - 2]);  // its output slot drained
    CHECK(deps_of(p, vectors[c]) == expected);
    CHECK(deps_of(p, stores[c]) == std::vector<uint32_t>{vectors[c]});
  }
  check_invariants(p, config);
}

TEST_CASE("mapper: max pooling chunks output rows and reloads the halo") {
  // 3x3 s2 p1, 112x112x64 -> 56x56x64 int8 (200704 B out). Cap max(200704/4, 32 KiB) = 50176 B
  // = 14 output rows of 56*64 -> 4 chunks (64 channels is one 64-lane channel tile). Input rows:
  // [0,14) -> [-1,28) = 28, then 29, 29, 29 (outputs 42..55 read [83,112)) = 115 rows of 112*64 B.
  const NpuConfig config;
  const LayerProgram p = map_operator(pool_op(112, 64, 3, 2, 1, false), 0, config);
  CHECK(p.mapping.tiles == 4);
  CHECK(p.mapping.planned_dram_read_bytes == 115 * 112 * 64);
  CHECK(p.mapping.planned_dram_write_bytes == 200704);
  const VectorWork& work = p.commands[ids_of(p, CommandKind::kVector)[0]].vector;
  CHECK(work.kind == VectorOpKind::kPool);
  CHECK(work.ops_per_element == 9);
  CHECK(work.elements == 14 * 56 * 64);
  check_invariants(p, config);
}

TEST_CASE("mapper: global average pooling is one chunk of 49-element windows") {
  // 7x7x2048 -> 1x1x2048: 2048 B out is below 32 KiB, so one chunk; footprint 2*(100352 + 2048).
  const NpuConfig config;
  const LayerProgram p = map_operator(pool_op(7, 2048, 1, 1, 0, true), 0, config);
  REQUIRE(p.commands.size() == 3);
  CHECK(p.commands[1].vector.ops_per_element == 49);
  CHECK(p.commands[1].vector.elements == 2048);
  CHECK(p.mapping.planned_dram_read_bytes == 100352);
  CHECK(p.mapping.sram_footprint_bytes == 204800);
  check_invariants(p, config);
}

TEST_CASE("mapper: depthwise conv on the vector unit loads its weights once, first") {
  // 3x3 s1 p1 depthwise, 56x56x144 int8. Out 451584 B -> cap 112896 B = 14 rows of 56*144 -> 4 chunks.
  // Input rows 15 + 16 + 16 + 15 = 62 of 56*144 B, plus 9*144 B of weights.
  Operator op;
  op.name = "dw";
  op.kind = OpKind::kConv2d;
  ConvParams conv;
  conv.in_h = conv.in_w = 56;
  conv.in_c = conv.out_c = conv.groups = 144;
  conv.kernel_h = conv.kernel_w = 3;
  conv.pad_top = conv.pad_bottom = conv.pad_left = conv.pad_right = 1;
  op.params = conv;
  const NpuConfig config;
  const LayerProgram p = map_operator(op, 0, config);
  CHECK(p.commands[0].kind == CommandKind::kDmaLoad);
  CHECK(p.commands[0].buffer == BufferKind::kWeight);
  CHECK(p.commands[0].bytes == 9 * 144);
  CHECK(ids_of(p, CommandKind::kDmaLoad).size() == 1 + 4);
  const auto vectors = ids_of(p, CommandKind::kVector);
  REQUIRE(vectors.size() == 4);
  const auto first_deps = deps_of(p, vectors[0]);
  CHECK(std::find(first_deps.begin(), first_deps.end(), 0U) != first_deps.end());
  const VectorWork& work = p.commands[vectors[0]].vector;
  CHECK(work.kind == VectorOpKind::kDepthwise);
  CHECK(work.ops_per_element == 9);
  CHECK(work.read_bytes == 15 * 56 * 144 + 9 * 144);  // input chunk + its kernels
  CHECK(p.mapping.planned_dram_read_bytes == 62 * 56 * 144 + 9 * 144);
  CHECK(p.macs == 56 * 56 * 144 * 9);
  check_invariants(p, config);
}

TEST_CASE("mapper: a vector op whose smallest chunk cannot fit is an SRAM error") {
  // Smallest add chunk: 64 elements (one lane row) x (2 inputs + 1 output), double-buffered = 384 B.
  NpuConfig config;
  config.sram.capacity_bytes = 300;
  try {
    map_operator(add_op(4096), 0, config);
    FAIL("expected InputError");
  } catch (const InputError& e) {
    CHECK(e.where() == "npu.sram.capacity_bytes");
    const std::string what = e.what();
    CHECK(what.find("'add'") != std::string::npos);
    CHECK(what.find("384") != std::string::npos);
    CHECK(what.find("300") != std::string::npos);
  }
}
