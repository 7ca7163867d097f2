// System passes (issue 13): pipeline bubbles, the tensor-parallel crossover on a slow link, where
// collectives go in a layer, and plan checks; arithmetic written in each case.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "analysis/multichip/pass_segments.h"
#include "analysis/multichip/system_pass.h"
#include "arch/spec/input_error.h"
#include "workloads/parallel/parallel_plan.h"

namespace {

using npusim::ParallelPlan;
using npusim::PassSegment;
using npusim::PassSegments;
using npusim::SystemConfig;

SystemConfig switch_system(uint32_t chips, double gbytes_per_s, double latency_ns = 0.0) {
  SystemConfig config;
  config.npu = "furiosa-rngd";
  config.chips = chips;
  config.topology = npusim::SystemTopology::kSwitch;
  config.link.bandwidth_gbytes_per_s = gbytes_per_s;
  config.link.latency_ns = latency_ns;
  return config;
}

ParallelPlan plan_of(uint32_t tp, uint32_t pp, uint32_t dp = 1) {
  ParallelPlan plan;
  plan.tp = tp;
  plan.pp = pp;
  plan.dp = dp;
  return plan;
}

}  // namespace

TEST_CASE("system pass: pipeline bubbles are (stages-1)/(micro-batches+stages-1)") {
  // 4 stages of 1000 ps per micro-batch, 8 micro-batches, free links: the last micro-batch leaves the
  // last stage after (8 + 4 - 1) * 1000 ps; each chip computes 8 * 1000 of those 11000 ps, so the
  // bubble is 1 - 8/11 = 3/11 = (4-1)/(8+4-1).
  PassSegments segments;
  segments.layers = {PassSegment{1000}};
  for (const auto& [pp, micro] : {std::pair{4u, 8u}, std::pair{2u, 1u}, std::pair{8u, 32u}}) {
    const auto result = npusim::run_system_pass(switch_system(8, 1e9), plan_of(1, pp), micro, segments);
    CHECK(result.time_ps == (micro + pp - 1) * 1000ull);
    uint64_t busy = 0;
    for (const auto& chip : result.chips) busy += chip.compute_ps;
    const double bubble = 1.0 - static_cast<double>(busy) / (pp * static_cast<double>(result.compute_only_time_ps));
    CHECK(bubble == doctest::Approx(static_cast<double>(pp - 1) / (micro + pp - 1)));
  }
}

TEST_CASE("system pass: TP stops helping exactly where the all-reduce exceeds the compute saved") {
  // A layer of C = 2 us on one chip; TP=2 halves it (1 us saved) and adds a 2-chip ring all-reduce of
  // S = 1 MB: 2(N-1)/N * S / B = S / B with no latency. S / B = 1 us at B = 1000 GB/s (1 ps per byte):
  // TP=2 takes 1 + S/B us, ahead of TP=1 above 1000 GB/s and behind below.
  PassSegments one_chip;
  one_chip.layers = {PassSegment{2'000'000}};
  const auto tp1 = npusim::run_system_pass(switch_system(2, 1000), plan_of(1, 1), 1, one_chip);
  CHECK(tp1.time_ps == 2'000'000);
  PassSegments halved;
  halved.layers = {PassSegment{1'000'000, true, npusim::CollectiveKind::kAllReduceRing, 1'000'000}};
  const auto tp2_at = [&](double gbytes_per_s) {
    return npusim::run_system_pass(switch_system(2, gbytes_per_s), plan_of(2, 1), 1, halved).time_ps;
  };
  CHECK(tp2_at(1000) == 2'000'000);  // the crossover: equal
  CHECK(tp2_at(1250) == 1'800'000);  // 1 us + 0.8 us: faster
  CHECK(tp2_at(800) == 2'250'000);   // 1 us + 1.25 us: slower
  CHECK(tp2_at(1250) < tp1.time_ps);
  CHECK(tp2_at(800) > tp1.time_ps);
  // A free link: TP=2 is twice as fast.
  CHECK(tp2_at(1e12) == 1'000'000);
}

TEST_CASE("system pass: a TP=8 all-reduce inside a layer costs the ring closed form") {
  // 8 chips, one 100 GB/s port each (10 ps/B), 1 us latency: all-reduce of 8 MB =
  // 2*7/8 * 8e6 * 10 ps + 14 * 1 us = 154 us, after 5 us of compute and before 3 us more.
  PassSegments segments;
  segments.layers = {PassSegment{5'000'000, true, npusim::CollectiveKind::kAllReduceRing, 8'000'000},
                     PassSegment{3'000'000}};
  const auto result = npusim::run_system_pass(switch_system(8, 100, 1000), plan_of(8, 1), 1, segments);
  CHECK(result.time_ps == 5'000'000ull + 154'000'000ull + 3'000'000ull);
  CHECK(result.compute_only_time_ps == 8'000'000);
  CHECK(result.chips[3].collective_ps == 154'000'000);
  CHECK(result.collectives.at("all_reduce_ring").count == 1);
}

TEST_CASE("pass segments: Megatron collectives after o_proj and down_proj, EP all-to-alls") {
  using npusim::OpTime;
  const std::vector<OpTime> dense{{"embed_tokens", 1e-6},
                                  {"layers.0.input_layernorm", 1e-6},
                                  {"layers.0.self_attn.o_proj", 1e-6},
                                  {"layers.0.mlp.down_proj", 1e-6},
                                  {"layers.0.mlp_residual", 1e-6},
                                  {"norm", 1e-6},
                                  {"lm_head", 1e-6}};
  npusim::PassShape shape;
  shape.tokens = 16;
  shape.sequences = 2;
  shape.hidden = 1024;
  shape.vocab = 32000;
  shape.element_bytes = 2;
  const PassSegments s = npusim::pass_segments(dense, plan_of(4, 1), shape);
  REQUIRE(s.first_stage.size() == 1);  // the vocabulary-parallel embedding's all-reduce
  CHECK(s.first_stage[0].bytes == 16 * 1024 * 2);
  REQUIRE(s.layers.size() == 3);       // ... o_proj | AR, down_proj | AR, the residual
  CHECK(s.layers[0].compute_ps == 2'000'000);
  CHECK(s.layers[1].collective);
  CHECK_FALSE(s.layers[2].collective);
  REQUIRE(s.last_stage.size() == 1);   // the logits' all-gather: 2 sequences x 32000 x 2 bytes
  CHECK(s.last_stage[0].kind == npusim::CollectiveKind::kAllGather);
  CHECK(s.last_stage[0].bytes == 2 * 32000 * 2);
  // TP=1: no collectives at all.
  const PassSegments single = npusim::pass_segments(dense, plan_of(1, 1), shape);
  for (const auto& segment : single.layers) CHECK_FALSE(segment.collective);

  // EP = TP = 4 with 2 experts per token: reduce-scatter, all-to-all dispatch (16/4 tokens x 2 copies x
  // 1024 x 2 bytes), all-to-all combine, all-gather.
  const std::vector<OpTime> moe{{"layers.0.self_attn.o_proj", 1e-6},
                                {"layers.0.mlp.router_softmax", 1e-6},
                                {"layers.0.mlp.experts.down_proj", 1e-6},
                                {"layers.0.mlp.experts.combine", 1e-6}};
  ParallelPlan ep = plan_of(4, 1);
  ep.ep = 4;
  shape.experts_per_token = 2;
  const PassSegments m = npusim::pass_segments(moe, ep, shape);
  REQUIRE(m.layers.size() == 4);
  CHECK(m.layers[0].kind == npusim::CollectiveKind::kReduceScatter);
  CHECK(m.layers[1].kind == npusim::CollectiveKind::kAllToAll);
  CHECK(m.layers[1].bytes == 4 * 2 * 1024 * 2);
  CHECK(m.layers[2].kind == npusim::CollectiveKind::kAllToAll);
  CHECK(m.layers[3].kind == npusim::CollectiveKind::kAllGather);
}

TEST_CASE("parallel plan: shards and bad plans") {
  const auto spec = npusim::parse_workload_spec("llama3.1-70b");
  // TP=8: 64/8 heads, 8/8 K/V heads, FFN 28672/8, vocabulary 128256/8; PP=2: 40 layers.
  ParallelPlan plan = plan_of(8, 2);
  const auto shard = npusim::plan_shard(spec, 4, plan, 16);
  CHECK(npusim::format_workload_spec(shard.spec) ==
        "llama3.1-70b:batch=2,ffn=3584,head_dim=128,heads=8,kv_heads=1,layers=40,vocab=16032");
  CHECK(shard.micro_batches == 2);  // --pp by default
  const auto reject = [&](const ParallelPlan& p, uint32_t batch, uint32_t chips, const std::string& what) {
    CHECK_THROWS_WITH_AS(npusim::plan_shard(spec, batch, p, chips), doctest::Contains(what.c_str()), npusim::InputError);
  };
  reject(plan_of(3, 1), 1, 8, "--tp: expected a divisor of the model's heads (64), got 3");
  reject(plan_of(16, 1), 1, 8, "--tp: the plan needs tp*pp*dp = 16 chips, the system has 8");
  reject(plan_of(1, 81), 1, 128, "--pp: expected at most the model's layers (80), got 81");
  reject(plan_of(1, 1, 3), 4, 8, "--dp: expected a divisor of the batch (4), got 3");
  ParallelPlan dense_ep = plan_of(8, 1);
  dense_ep.ep = 8;
  reject(dense_ep, 1, 8, "--ep: applies to mixture-of-experts models");
  ParallelPlan mixtral_ep = plan_of(4, 1);
  mixtral_ep.ep = 2;
  CHECK_THROWS_WITH_AS(npusim::plan_shard(npusim::parse_workload_spec("mixtral-8x7b"), 1, mixtral_ep, 8),
                       doctest::Contains("--ep: expected 1 or the --tp degree 4"), npusim::InputError);
  mixtral_ep.ep = 4;
  const auto moe = npusim::plan_shard(npusim::parse_workload_spec("mixtral-8x7b"), 1, mixtral_ep, 8);
  CHECK(moe.spec.params.at("ep") == "4");
}
