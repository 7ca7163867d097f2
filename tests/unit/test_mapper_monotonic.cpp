// The mapper's guarantees behind "more SRAM is never slower": shortlists that nest as the SRAM doubles,
// a lower bound that never exceeds the estimate it prunes by, and operators mapped once when repeated.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/support/test_ops.h"
#include "workloads/mapper/attention_tiling.h"
#include "workloads/mapper/gemm_lowering.h"
#include "workloads/mapper/gemm_schedule_bound.h"
#include "workloads/mapper/mapper.h"
#include "workloads/mapper/operator_identity.h"
#include "workloads/mapper/partition_estimate.h"
#include "workloads/mapper/program_builder.h"

using namespace npusim;
using npusim_test::attention_op;
using npusim_test::conv_op;

namespace {

Operator matmul_op(const std::string& name, uint64_t m, uint64_t n, uint64_t k) {
  Operator op;
  op.name = name;
  op.kind = OpKind::kMatMul;
  op.params = MatMulParams{m, n, k, true};
  return op;
}

NpuConfig latency_config(Bytes sram_bytes) {
  NpuConfig config;  // 32x32 weight-stationary int8 array, latency objective
  config.sram.capacity_bytes = sram_bytes;
  return config;
}

bool same_plan(const GemmPlan& a, const GemmPlan& b) {
  return a.order == b.order && a.n_tile == b.n_tile && a.k_tile_units == b.k_tile_units &&
         a.m_tiling.tiles == b.m_tiling.tiles && a.m_tiling.max_m == b.m_tiling.max_m &&
         a.m_tiling.max_a_units == b.m_tiling.max_a_units;
}

}  // namespace

TEST_CASE("mapper: the GEMM shortlist of twice the SRAM holds every plan of this one's") {
  const std::vector<Operator> ops{matmul_op("mlp", 197, 768, 3072), matmul_op("qkv", 128, 2304, 768),
                                  conv_op("conv", 56, 64, 128, 3, 1, 1)};
  for (const Operator& op : ops) {
    for (Bytes sram = 64 * kKiB; sram <= 4 * kMiB; sram *= 2) {
      CAPTURE(op.name);
      CAPTURE(sram);
      const NpuConfig config = latency_config(sram);
      const NpuConfig twice = latency_config(2 * sram);
      const GemmProblem problem = make_gemm_problem(op, config);
      const std::vector<GemmPlan> here = gemm_plan_shortlist(problem, config, op, 12);
      const std::vector<GemmPlan> more = gemm_plan_shortlist(problem, twice, op, 12);
      for (const GemmPlan& plan : here) {
        bool found = false;
        for (const GemmPlan& other : more) found = found || same_plan(plan, other);
        CHECK(found);
      }
    }
  }
}

TEST_CASE("mapper: the attention shortlist of twice the SRAM holds every blocking of this one's") {
  // BERT-base-like: 12 heads of 64, 384 tokens, int8.
  const Operator op = attention_op(12, 12, 64, 384, 0, false, false, true, DType::kInt8);
  for (Bytes sram = 64 * kKiB; sram <= 4 * kMiB; sram *= 2) {
    CAPTURE(sram);
    const std::vector<AttentionPlan> here = attention_plan_shortlist(op, latency_config(sram));
    const std::vector<AttentionPlan> more = attention_plan_shortlist(op, latency_config(2 * sram));
    for (const AttentionPlan& plan : here) {
      bool found = false;
      for (const AttentionPlan& other : more) {
        found = found || (plan.head_group == other.head_group && plan.q_block == other.q_block &&
                          plan.kv_block == other.kv_block && plan.kv_resident == other.kv_resident);
      }
      CHECK(found);
    }
  }
}

TEST_CASE("mapper: a GEMM plan's lower bound, from the plan alone") {
  // 32x32 WS int8 array, one array; M=64, N=32, K=32 in one tile: F = 1 fold of T = 64 rows, so the
  // array floor is max(F*T/(A*r), ceil(F/A)*preload) = max(64, 32) = 64 cycles, plus the first load's
  // and the last store's setup + DRAM latency. DRAM: A 64*32 + B 32*32 + C 64*32 = 5120 bytes.
  const NpuConfig config = latency_config(kMiB);
  const Operator op = matmul_op("one_tile", 64, 32, 32);
  const GemmProblem problem = make_gemm_problem(op, config);
  const GemmPlan plan = evaluate_gemm_plan(problem, problem.m_tilings.back(), 32, 32, LoopOrder::kMNK);
  REQUIRE(plan.compute_tiles == 1);
  const double fixed = static_cast<double>(config.dma.setup_cycles + dram_latency_cycles(config));
  const double expected = std::max(64.0 + 2.0 * fixed, 5120.0 / dram_bytes_per_cycle(config) + 2.0 * fixed);
  CHECK(gemm_schedule_lower_bound_cycles(problem, plan, config) == doctest::Approx(expected));
}

TEST_CASE("mapper: the lower bound never exceeds the estimate of the emitted plan") {
  const std::vector<Operator> ops{matmul_op("mlp", 197, 768, 3072), conv_op("conv", 28, 128, 128, 3, 1, 1)};
  for (const Operator& op : ops) {
    for (const Bytes sram : {Bytes{128 * kKiB}, Bytes{2 * kMiB}}) {
      const NpuConfig config = latency_config(sram);
      const GemmProblem problem = make_gemm_problem(op, config);
      for (const GemmPlan& plan : gemm_plan_shortlist(problem, config, op, 12)) {
        LayerProgram program = new_layer_program(op, 0);
        emit_gemm_program(problem, plan, config, program);
        CAPTURE(op.name);
        CAPTURE(plan.compute_tiles);
        CHECK(gemm_schedule_lower_bound_cycles(problem, plan, config) <= estimate_layer_cycles(program, config));
      }
    }
  }
}

TEST_CASE("mapper: operators that lower alike are mapped once and copied") {
  Workload workload;
  workload.name = "repeat";
  workload.ops = {matmul_op("block0.fc", 128, 256, 256), matmul_op("block1.fc", 128, 256, 256),
                  matmul_op("block1.other", 128, 256, 512)};
  workload.ops[1].inputs = {0};
  CHECK(lowers_alike(workload.ops[0], workload.ops[1]));   // names and producers may differ
  CHECK_FALSE(lowers_alike(workload.ops[0], workload.ops[2]));  // k differs
  Operator relu = workload.ops[0];
  relu.activation = Activation::kRelu;
  CHECK_FALSE(lowers_alike(workload.ops[0], relu));
  const std::vector<LayerProgram> programs = map_workload(workload, latency_config(kMiB));
  REQUIRE(programs.size() == 3);
  CHECK(programs[1].op_index == 1);
  CHECK(programs[1].name == "block1.fc");
  REQUIRE(programs[1].commands.size() == programs[0].commands.size());
  for (size_t i = 0; i < programs[0].commands.size(); ++i) {
    CHECK(programs[1].commands[i].kind == programs[0].commands[i].kind);
    CHECK(programs[1].commands[i].bytes == programs[0].commands[i].bytes);
  }
}
