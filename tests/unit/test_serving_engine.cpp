// The serving engine, schedulers and paged KV cache (analysis/serving) over a step-cost model whose
// arithmetic the tests can write down: time = c0 + c_tok * tokens + c_kv * sum of past tokens.
#include <doctest/doctest.h>

#include "analysis/serving/serving_engine.h"
#include "analysis/serving/serving_metrics.h"
#include "analysis/serving/step_cost_table.h"
#include "arch/spec/input_error.h"
#include "tests/unit/linear_step_costs.h"
#include "workloads/traffic/traffic_generator.h"

using namespace npusim;
using namespace npusim_test;

namespace {

std::vector<ServeRequest> same_requests(size_t n, double gap_s, uint64_t input, uint64_t output) {
  std::vector<ServeRequest> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = {"r" + std::to_string(i), gap_s * static_cast<double>(i), input, output, 0, 0};
  return out;
}

SchedulerConfig config(SchedulerPolicy policy, uint64_t kv_blocks) {
  SchedulerConfig c;
  c.policy = policy;
  c.kv_blocks = kv_blocks;
  c.block_tokens = 16;
  return c;
}

}  // namespace

TEST_CASE("serving at a rate so low that requests never overlap: TTFT = prefill step, TPOT = mean decode step") {
  const auto requests = same_requests(5, 10.0, 100, 10);
  const ServingRun run = run_serving(requests, config(SchedulerPolicy::kVllm, 1000), LinearCosts{}, true);
  const ServingMetrics m = summarize_serving(requests, run, SloSpec{}, 1000);
  // Prefill: one sequence of 100 tokens, no past. Decode k = 0..8 attends over 100 + k tokens.
  CHECK(m.ttft_s.mean == doctest::Approx(c0 + 100 * c_tok).epsilon(1e-12));
  CHECK(m.tpot_s.mean == doctest::Approx(c0 + c_tok + c_kv * 104).epsilon(1e-12));
  CHECK(m.iterations == 5 * 10);
  CHECK(m.preemptions == 0);
  // Busy energy 100 W x busy time, idle 10 W between; duration = 40 s + the last request's e2e.
  const double e2e = (c0 + 100 * c_tok) + 9 * (c0 + c_tok + c_kv * 104);
  CHECK(m.duration_s == doctest::Approx(40.0 + e2e).epsilon(1e-12));
  CHECK(m.energy_j == doctest::Approx(100.0 * 5 * e2e + 10.0 * (40.0 - 4 * e2e)).epsilon(1e-9));
}

TEST_CASE("KV cache for exactly K prompts: the (K+1)-th waits until blocks free up") {
  // 64-token prompts hold 4 blocks of 16; one output token each, so a request finishes in its prefill.
  const auto requests = same_requests(4, 0.0, 64, 1);
  const double first_step = c0 + 3 * 64 * c_tok;  // K = 3 prompts prefilled together
  for (uint64_t blocks : {12, 15}) {
    const ServingRun run = run_serving(requests, config(SchedulerPolicy::kVllm, blocks), LinearCosts{}, true);
    CHECK(run.requests[2].admitted_s == 0.0);
    CHECK(run.requests[3].admitted_s == doctest::Approx(first_step).epsilon(1e-12));
    CHECK(run.iterations.front().prefill_seqs == 3);
  }
  const ServingRun roomy = run_serving(requests, config(SchedulerPolicy::kVllm, 16), LinearCosts{}, true);
  CHECK(roomy.requests[3].admitted_s == 0.0);
  CHECK(roomy.iterations.front().prefill_seqs == 4);
}

TEST_CASE("decode out of blocks: the last admitted sequence is preempted by recompute exactly then") {
  // Two 16-token prompts fill the 2 blocks; the first decode needs a 17th token slot -> a third block.
  const auto requests = same_requests(2, 0.0, 16, 17);
  const ServingRun run = run_serving(requests, config(SchedulerPolicy::kVllm, 2), LinearCosts{}, true);
  CHECK(run.preemptions == 1);
  CHECK(run.requests[0].preemptions == 0);
  CHECK(run.requests[1].preemptions == 1);
  // Iteration 0 prefills both; iteration 1 decodes request 0 alone (request 1 preempted).
  CHECK(run.iterations[1].decode_seqs == 1);
  CHECK(run.requests[1].finish_s > run.requests[0].finish_s);
  // Request 0 alone: prefill of 2 x 16 tokens, then 16 decodes over 16..31 past tokens.
  const double decodes = 16 * (c0 + c_tok) + c_kv * (16 + 31) * 16 / 2;
  CHECK(run.requests[0].finish_s == doctest::Approx(c0 + 32 * c_tok + decodes).epsilon(1e-12));
  // Request 1 recomputes its 16 + 1 tokens in one prefill that yields token 2, then 15 decodes.
  CHECK(run.kv_blocks_peak == 2);
}

TEST_CASE("sarathi: a long prompt is prefilled in chunks within the token budget") {
  auto requests = same_requests(1, 0.0, 1000, 2);
  SchedulerConfig c = config(SchedulerPolicy::kSarathi, 1000);
  c.prefill_chunk = 256;
  const ServingRun run = run_serving(requests, c, LinearCosts{}, true);
  CHECK(run.iterations.size() == 5);  // 4 chunks, then 1 decode
  CHECK(run.requests[0].ttft_s() == doctest::Approx(4 * c0 + 1000 * c_tok + c_kv * (256 + 512 + 768)).epsilon(1e-12));
}

TEST_CASE("static batching never beats continuous batching on goodput for the same traffic") {
  TrafficSpec spec;
  spec.requests = 400;
  spec.input_tokens = parse_token_distribution("uniform:32:512", "--x");
  spec.output_tokens = parse_token_distribution("uniform:8:256", "--x");
  SloSpec slo;
  slo.ttft_p90_s = 0.5;
  slo.tpot_p99_s = 0.01;
  for (double rate : {1.0, 5.0, 20.0, 50.0}) {
    spec.rate_per_s = rate;
    const auto requests = generate_traffic(spec);
    SchedulerConfig c = config(SchedulerPolicy::kVllm, 4000);
    c.max_num_seqs = 32;
    const ServingRun vllm = run_serving(requests, c, LinearCosts{}, false);
    c.policy = SchedulerPolicy::kStatic;
    const ServingRun fixed = run_serving(requests, c, LinearCosts{}, false);
    const double good_vllm = summarize_serving(requests, vllm, slo, 4000).goodput_requests_per_s;
    const double good_static = summarize_serving(requests, fixed, slo, 4000).goodput_requests_per_s;
    CAPTURE(rate);
    CHECK(good_static <= good_vllm);
  }
}

TEST_CASE("step-cost table: linear curves and bilinear surfaces are reproduced exactly") {
  CostCurve curve{{1, 4, 10}, {{1, 2}, {4, 8}, {10, 20}}};
  CHECK(curve.at(7).time_s == doctest::Approx(7));
  CHECK(curve.at(20).energy_j == doctest::Approx(40));  // extended along the last segment
  CostSurface surface{{1, 3}, {0, 10}, {}};
  for (double x : surface.x)
    for (double y : surface.y) surface.v.push_back({x * y + x, 0});
  CHECK(surface.at(2, 5).time_s == doctest::Approx(2 * 5 + 2));
  LlmStepCostTable table;
  table.layers = 4;
  table.embed_by_tokens = {{1, 100}, {{1, 0}, {100, 0}}};
  table.dense_layer_by_tokens = {{1, 100}, {{2, 0}, {200, 0}}};
  table.head_by_seqs = {{1, 10}, {{5, 0}, {50, 0}}};
  table.attention_per_query_token = surface;
  table.attention_decode_by_batch_past = {{1, 2}, {0, 20}, {{0, 0}, {20, 0}, {0, 0}, {20, 0}}};  // past, per decode
  table.attention_prefill_per_token = {{1, 5}, {{1, 0}, {5, 0}}};
  StepShape step{{{1, 10}, {3, 0}, {2, 10}}};  // a decode, a prefill, a chunk: 6 tokens, 3 sequences
  // embed 6 + 4 layers x (dense 12 + decode 10 + prefill 3 * 3 + chunk 2 * (2*10+2)) + head 15
  CHECK(table.cost(step).time_s == doctest::Approx(6 + 4 * (12 + 10 + 9 + 44) + 15));
}

TEST_CASE("SLO text: keys, values and errors") {
  const SloSpec slo = parse_slo_spec("ttft_p90_s=0.5,tpot_p99_s=0.05");
  CHECK(slo.ttft_p90_s == 0.5);
  CHECK(slo.tpot_p99_s == 0.05);
  CHECK_THROWS_WITH_AS(parse_slo_spec("ttft_p95_s=1"), doctest::Contains("unknown key 'ttft_p95_s'"), InputError);
  CHECK_THROWS_WITH_AS(parse_slo_spec("ttft_p90_s=-1"), doctest::Contains("positive number"), InputError);
  CHECK(summarize_latencies({1, 2, 3, 4, 5}).p90 == doctest::Approx(4.6));
}
