// Mapper, transformer side: the vector cost table, row ops (norms, softmax, rotary, gathers) and the
// fused and unfused attention lowerings, with their DRAM traffic derived by hand.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "arch/spec/input_error.h"
#include "tests/support/test_ops.h"
#include "workloads/mapper/attention_lowering.h"
#include "workloads/mapper/mapper.h"
#include "workloads/mapper/vector_costs.h"

using namespace npusim;
using npusim_test::attention_op;

namespace {

std::vector<uint32_t> deps_of(const LayerProgram& program, uint32_t id) {
  const Command& c = program.commands[id];
  return {program.deps.begin() + c.dep_begin, program.deps.begin() + c.dep_begin + c.dep_count};
}

size_t count(const LayerProgram& program, CommandKind kind) {
  size_t n = 0;
  for (const Command& c : program.commands) n += c.kind == kind ? 1 : 0;
  return n;
}

Bytes moved(const LayerProgram& program, CommandKind kind) {
  Bytes bytes = 0;
  for (const Command& c : program.commands) bytes += c.kind == kind ? c.bytes : 0;
  return bytes;
}

uint64_t array_macs(const LayerProgram& program) {
  uint64_t macs = 0;
  for (const Command& c : program.commands) {
    if (c.kind == CommandKind::kCompute) macs += uint64_t{c.tile.m} * c.tile.n * c.tile.k;
  }
  return macs;
}

// Loads and stores add up to the plan; dependencies point backwards.
void check_invariants(const LayerProgram& program) {
  for (uint32_t i = 0; i < program.commands.size(); ++i) {
    for (uint32_t dep : deps_of(program, i)) CHECK(dep < i);
  }
  CHECK(moved(program, CommandKind::kDmaLoad) == program.mapping.planned_dram_read_bytes);
  CHECK(moved(program, CommandKind::kDmaStore) == program.mapping.planned_dram_write_bytes);
}

NpuConfig bf16_config(Bytes sram_bytes) {
  NpuConfig config;
  config.array.rows = config.array.cols = 128;
  config.array.dtypes = {DType::kBf16};
  config.sram.capacity_bytes = sram_bytes;
  return config;
}

Operator row_op(OpKind kind, uint64_t rows, uint64_t width) {
  Operator op;
  op.name = "row";
  op.kind = kind;
  op.params = RowParams{rows, width};
  return op;
}

}  // namespace

TEST_CASE("vector costs: one table, derived from the primitives") {
  // softmax: max, subtract, exp (LUT), sum, multiply by 1/sum = 5.
  CHECK(vector_ops_per_element(row_op(OpKind::kSoftmax, 1, 64)) == 5);
  // LayerNorm: mean, subtract, square-accumulate, scale, gamma/beta fma = 5; RMSNorm drops mean,
  // subtract and beta: square-accumulate, scale, gamma = 3.
  CHECK(vector_ops_per_element(row_op(OpKind::kLayerNorm, 1, 64)) == 5);
  CHECK(vector_ops_per_element(row_op(OpKind::kRmsNorm, 1, 64)) == 3);
  // GELU (tanh form) 6, SiLU = sigmoid (exp, add, reciprocal 2) + multiply = 5, as before.
  CHECK(eltwise_vector_ops(EltwiseKind::kGelu) == 6);
  CHECK(eltwise_vector_ops(EltwiseKind::kSilu) == 5);
  CHECK(eltwise_vector_ops(EltwiseKind::kSigmoid) == 4);
  CHECK(kRotaryVectorOps == 3);
  CHECK(kOnlineSoftmaxVectorOps == 4);
}

TEST_CASE("mapper: a LayerNorm keeps whole rows per chunk and loads gamma and beta once") {
  const NpuConfig config;  // 2 MiB SRAM, 64 lanes
  const LayerProgram p = map_operator(row_op(OpKind::kLayerNorm, 512, 768), 0, config);
  check_invariants(p);
  // int8: input 512*768 bytes + gamma and beta 2*768; output 512*768.
  CHECK(p.mapping.planned_dram_read_bytes == 512 * 768 + 2 * 768);
  CHECK(p.mapping.planned_dram_write_bytes == 512 * 768);
  for (const Command& c : p.commands) {
    if (c.kind != CommandKind::kVector) continue;
    CHECK(c.vector.elements % 768 == 0);  // whole rows: the reduction runs along a row
    CHECK(c.vector.ops_per_element == kLayerNormVectorOps);
  }
  // 393 KiB of output -> chunks of at most max(393216/4, 32 KiB) = 98304 bytes = 128 rows: 4 chunks.
  CHECK(p.mapping.tiles == 4);
}

TEST_CASE("mapper: an embedding gathers rows after the ids that address them") {
  Operator op;
  op.name = "embed";
  op.kind = OpKind::kEmbedding;
  op.dtype = DType::kInt8;
  op.batch = 2;
  op.params = EmbeddingParams{100, 32000, 64};
  const LayerProgram p = map_operator(op, 0, NpuConfig{});
  check_invariants(p);
  // 200 ids of 4 bytes, then 200 rows of 64 bytes; the table's other rows are never read.
  CHECK(p.mapping.planned_dram_read_bytes == 200 * 4 + 200 * 64);
  CHECK(p.mapping.planned_dram_write_bytes == 200 * 64);
  for (uint32_t i = 0; i < p.commands.size(); ++i) {
    const Command& c = p.commands[i];
    if (c.kind == CommandKind::kDmaLoad && c.buffer == BufferKind::kWeight) {
      const std::vector<uint32_t> deps = deps_of(p, i);
      REQUIRE(deps.size() == 1);
      CHECK(p.commands[deps[0]].buffer == BufferKind::kInput);  // the ids
    }
  }
}

TEST_CASE("mapper: rotary reads its cos/sin rows beside the activations") {
  Operator op;
  op.name = "rope";
  op.kind = OpKind::kRotary;
  op.dtype = DType::kInt8;
  op.params = RotaryParams{16, 6, 64};
  const LayerProgram p = map_operator(op, 0, NpuConfig{});
  check_invariants(p);
  // 16 tokens x 6 heads x 64 in and out, plus one 64-element table row per token.
  CHECK(p.mapping.planned_dram_read_bytes == 16 * 6 * 64 + 16 * 64);
  CHECK(p.mapping.planned_dram_read_bytes == op_input_bytes(op));
  CHECK(p.mapping.planned_dram_write_bytes == op_output_bytes(op));
}

TEST_CASE("mapper: fused GQA decode reads Q and the cache once and never spills scores") {
  // Llama-3.1-8B-like layer: 32 query / 8 K/V heads of 128, one new token over 511 cached ones, bf16.
  const Operator op = attention_op(32, 8, 128, 1, 511, true, true, true);
  const NpuConfig config = bf16_config(32 * kMiB);
  const LayerProgram p = map_operator(op, 0, config);
  check_invariants(p);
  CHECK(p.mapping.loop_order == "b-h-q-k");
  // Reads: Q 32*128*2 = 8192, the new K/V 2*8*128*2 = 4096, the cache 2*8*128*511*2 = 2,093,056 bytes:
  // exactly the operator's inputs. Writes: O 8192 + the new K/V appended, 4096.
  CHECK(p.mapping.planned_dram_read_bytes == 8192 + 4096 + 2093056);
  CHECK(p.mapping.planned_dram_read_bytes == op_input_bytes(op));
  CHECK(p.mapping.planned_dram_write_bytes == 8192 + 4096);
  CHECK(p.mapping.planned_dram_write_bytes == op_output_bytes(op));
  // Each K/V head's 4 query heads stack into M = 4: an S tile and an AV tile per key block, 8 K/V heads
  // -> 16 array tiles per key block doing exactly op_macs. 512 keys x 8 heads fit as one block, but the
  // latency objective takes the smaller SRAM levels' blockings too and picks the one the list schedule
  // finds fastest (two blocks of 256 keys here, so the cache loads pipeline under the tiles): the count
  // is a whole number of blocks either way.
  CHECK(p.mapping.tiles % 16 == 0);
  CHECK(p.mapping.tile.m == 4);
  CHECK(array_macs(p) == op_macs(op));
  CHECK(op_macs(op) == 2ull * 32 * 128 * 512);
}

TEST_CASE("mapper: unfused attention writes the scores to DRAM and reads them back") {
  // BERT-base-like: 12 heads of 64, 128 tokens, int8 on the default 32x32 array and 2 MiB SRAM.
  NpuConfig config;
  const Operator fused = attention_op(12, 12, 64, 128, 0, false, false, true, DType::kInt8);
  const Operator unfused = attention_op(12, 12, 64, 128, 0, false, false, false, DType::kInt8);
  const LayerProgram f = map_operator(fused, 0, config);
  const LayerProgram u = map_operator(unfused, 0, config);
  check_invariants(f);
  check_invariants(u);
  // Scores: 12 heads x 128 x 128 int8 = 196,608 bytes. Unfused writes them (QK^T), writes the
  // probabilities (softmax), besides O (12*128*64 = 98,304); fused writes only O.
  const Bytes scores = attention_score_bytes(unfused);
  CHECK(scores == 12 * 128 * 128);
  CHECK(f.mapping.planned_dram_write_bytes == 98304);
  CHECK(u.mapping.planned_dram_write_bytes == 98304 + 2 * scores);
  // ...and reads them twice (softmax, AV) on top of at least the fused reads of Q, K and V.
  CHECK(f.mapping.planned_dram_read_bytes == op_input_bytes(fused));
  CHECK(u.mapping.planned_dram_read_bytes >= f.mapping.planned_dram_read_bytes + 2 * scores);
  // Three phases separated by two barriers, and the unmasked MACs on the array either way.
  CHECK(count(u, CommandKind::kSync) == 2);
  CHECK(array_macs(u) == op_macs(unfused));
  CHECK(array_macs(f) == op_macs(fused));
}

TEST_CASE("mapper: causal fused attention skips key blocks above the diagonal") {
  // One head of 64, 512 new tokens, 128-query x 128-key blocks, K/V streamed per block: query block i
  // sees key blocks 0..i, so 1+2+3+4 = 10 block steps (not 16), each an S and an AV tile.
  const Operator op = attention_op(1, 1, 64, 512, 0, true, false, true);
  const NpuConfig config = bf16_config(32 * kMiB);
  const AttentionPlan plan = evaluate_fused_attention(op, 1, 128, 128, false);
  LayerProgram p;
  emit_fused_attention(op, plan, config, p);
  check_invariants(p);
  CHECK(p.mapping.tiles == 20);
  // K/V: 10 block loads of 2*128*64*2 bytes; Q 512*64*2 once.
  CHECK(plan.dram_read_bytes == 10 * 2 * 128 * 64 * 2 + 512 * 64 * 2);
  // The blocks on the diagonal are computed whole: 10 blocks of 128x128 pairs, 2 MACs per pair per
  // head-dim element, against the 512*513/2 visible pairs op_macs counts.
  CHECK(array_macs(p) == 10ull * 128 * 128 * 64 * 2);
  CHECK(op_macs(op) == 512ull * 513 / 2 * 64 * 2);
}

TEST_CASE("mapper: the fused plan's traffic and command count are what emission produces") {
  const NpuConfig config = bf16_config(32 * kMiB);
  // GQA prefill continuing a cache (past 100), and a non-causal encoder with a ragged last block.
  const std::vector<Operator> ops{attention_op(8, 2, 64, 300, 100, true, true, true),
                                  attention_op(6, 6, 64, 197, 0, false, false, true)};
  for (const Operator& op : ops) {
    for (uint32_t group : {1u, 2u}) {
      for (uint64_t q_block : {64u, 300u}) {
        for (uint64_t kv_block : {128u, 400u}) {
          for (bool resident : {false, true}) {
            const AttentionPlan plan = evaluate_fused_attention(op, group, q_block, kv_block, resident);
            LayerProgram p;
            emit_fused_attention(op, plan, config, p);
            CAPTURE(group);
            CAPTURE(q_block);
            CAPTURE(kv_block);
            CAPTURE(resident);
            CHECK(p.commands.size() == plan.commands);
            CHECK(moved(p, CommandKind::kDmaLoad) == plan.dram_read_bytes);
            CHECK(moved(p, CommandKind::kDmaStore) == plan.dram_write_bytes);
            // Every cached and new token's K/V is read at least once; the new ones are appended once.
            CHECK(plan.dram_read_bytes >= op_input_bytes(op));
            CHECK(plan.dram_write_bytes == op_output_bytes(op));
          }
        }
      }
    }
  }
}

TEST_CASE("mapper: attention that cannot fit one tile is an SRAM error") {
  NpuConfig config = bf16_config(4 * kKiB);
  CHECK_THROWS_WITH_AS(map_operator(attention_op(2, 2, 128, 64, 0, false, false, true), 0, config),
                       doctest::Contains("npu.sram.capacity_bytes"), InputError);
  config.array.dtypes = {DType::kInt8};
  CHECK_THROWS_WITH_AS(map_operator(attention_op(2, 2, 64, 64, 0, false, false, true), 0, config),
                       doctest::Contains("npu.array.dtypes"), InputError);
}
