// Scheduler details beyond the basics (tests/unit/test_serving_engine.cpp): request priority, swap
// preemption over the host link, per-sequence decode costs, KV occupancy over time and batch sizes.
// The step cost is linear so the arithmetic can be written down: time = c0 + c_tok * tokens + c_kv * past.
#include <doctest/doctest.h>

#include <iterator>

#include "analysis/serving/capacity_search.h"
#include "analysis/serving/serving_distributions.h"
#include "analysis/serving/serving_engine.h"
#include "analysis/serving/serving_metrics.h"
#include "analysis/serving/step_cost_table.h"
#include "tests/unit/linear_step_costs.h"

using namespace npusim;
using namespace npusim_test;

namespace {

ServeRequest request(double arrival_s, uint64_t input, uint64_t output, int32_t priority = 0) {
  return {"", arrival_s, input, output, priority, 0};
}

SchedulerConfig config(uint64_t kv_blocks, uint32_t max_num_seqs = 256) {
  SchedulerConfig c;
  c.kv_blocks = kv_blocks;
  c.block_tokens = 16;
  c.max_num_seqs = max_num_seqs;
  return c;
}

}  // namespace

TEST_CASE("priority: a lower value is admitted first, arrival order breaks ties") {
  // One sequence at a time. r0 runs first (alone when it arrives); r1 (priority 5), r2 (priority 0) and
  // r3 (priority 5) wait for it: r2 goes next, then r1 and r3 in arrival order.
  const std::vector<ServeRequest> requests{request(0.0, 16, 4), request(1e-4, 16, 4, 5), request(2e-4, 16, 4, 0),
                                           request(3e-4, 16, 4, 5)};
  const ServingRun run = run_serving(requests, config(100, 1), LinearCosts{}, true);
  CHECK(run.requests[2].admitted_s < run.requests[1].admitted_s);
  CHECK(run.requests[1].admitted_s < run.requests[3].admitted_s);
  CHECK(run.requests[2].admitted_s == doctest::Approx(run.requests[0].finish_s));
}

TEST_CASE("priority: the least urgent running sequence is the one preempted") {
  // Two 16-token prompts fill 2 blocks; the first decode needs a third block. r0 is less urgent (1)
  // than r1 (0), so r0 is preempted although it arrived first.
  const std::vector<ServeRequest> requests{request(0.0, 16, 17, 1), request(0.0, 16, 17, 0)};
  const ServingRun run = run_serving(requests, config(2), LinearCosts{}, true);
  CHECK(run.requests[0].preemptions == 1);
  CHECK(run.requests[1].preemptions == 0);
  CHECK(run.requests[1].finish_s < run.requests[0].finish_s);
}

TEST_CASE("swap preemption: blocks go to the host and back, each costing blocks x block time") {
  // As above, both priority 0: r1 (the later arrival) is swapped out with its 1 block at the first
  // decode, r0 decodes alone until it finishes, then r1's block comes back and it resumes where it was.
  const std::vector<ServeRequest> requests{request(0.0, 16, 17), request(0.0, 16, 17)};
  SchedulerConfig c = config(2);
  c.preemption = PreemptionMode::kSwap;
  c.swap_block_s = 0.5e-3;
  const ServingRun run = run_serving(requests, c, LinearCosts{}, true);
  CHECK(run.preemptions == 1);
  CHECK(run.swap_out_blocks == 1);
  CHECK(run.swap_in_blocks == 1);
  CHECK(run.swap_time_s == doctest::Approx(2 * 0.5e-3).epsilon(1e-12));
  // r0: prefill of 32 tokens, then 16 decodes over 16..31 past tokens, the first after the swap-out.
  const double r0 = c0 + 32 * c_tok + 16 * (c0 + c_tok) + c_kv * (16 + 31) * 16 / 2 + 0.5e-3;
  CHECK(run.requests[0].finish_s == doctest::Approx(r0).epsilon(1e-12));
  // r1 keeps its 16 cached tokens (no recompute): swap-in, then 16 decodes over 16..31 past tokens.
  const double r1 = r0 + 0.5e-3 + 16 * (c0 + c_tok) + c_kv * (16 + 31) * 16 / 2;
  CHECK(run.requests[1].finish_s == doctest::Approx(r1).epsilon(1e-12));
  // Swap time is spent at idle power: energy = 100 W x compute time + 10 W x swap time (+ no gaps).
  CHECK(run.busy_energy_j == doctest::Approx(100.0 * (r1 - 1e-3) + 10.0 * 1e-3).epsilon(1e-9));
}

TEST_CASE("KV occupancy over time and the batch-size histogram") {
  // One request of 32 prompt tokens and 3 output tokens (2 blocks, then a third for token 33), alone:
  // iterations: prefill (2 blocks held), decode (3 blocks: the 33rd token needs one), decode (3 blocks).
  const std::vector<ServeRequest> requests{request(0.0, 32, 3)};
  const ServingRun run = run_serving(requests, config(10), LinearCosts{}, true);
  REQUIRE(run.iterations.size() == 3);
  const double t0 = c0 + 32 * c_tok, t1 = c0 + c_tok + c_kv * 32, t2 = c0 + c_tok + c_kv * 33;
  const KvOccupancySeries series = kv_occupancy_series(run, 10, 1);
  CHECK(series.mean_fraction.size() == 1);
  CHECK(series.mean_fraction_overall == doctest::Approx((2 * t0 + 3 * (t1 + t2)) / (10 * (t0 + t1 + t2))));
  CHECK(series.mean_fraction[0] == doctest::Approx(series.mean_fraction_overall));
  // Two intervals of (t0 + t1 + t2) / 2 each: the first holds the prefill and part of the first decode.
  const KvOccupancySeries halves = kv_occupancy_series(run, 10, 2);
  const double half = (t0 + t1 + t2) / 2;
  CHECK(halves.mean_fraction[0] == doctest::Approx((2 * t0 + 3 * (half - t0)) / (10 * half)));
  CHECK(halves.mean_fraction[1] == doctest::Approx(0.3));
  const BatchSizeHistogram histogram = batch_size_histogram(run);
  CHECK(histogram.bucket_low_seqs == std::vector<uint64_t>{1});
  CHECK(histogram.iterations == std::vector<uint64_t>{3});
  // Five sequences decoding together land in the [4, 7] bucket.
  ServingRun wide;
  wide.iterations.push_back(IterationRecord{0.0, 1.0, 0.0, 0, 0, 5, 0, 0, 0});
  wide.iterations.push_back(IterationRecord{1.0, 3.0, 0.0, 0, 1, 0, 0, 0, 0});
  const BatchSizeHistogram h = batch_size_histogram(wide);
  CHECK(h.bucket_low_seqs == std::vector<uint64_t>{1, 2, 4});
  CHECK(h.iterations == std::vector<uint64_t>{1, 0, 1});
  CHECK(h.time_fraction[2] == doctest::Approx(0.25));
}

TEST_CASE("step-cost table: each decode is costed at its own KV length, not at the batch's mean") {
  LlmStepCostTable table;
  table.layers = 1;
  table.embed_by_tokens = {{1, 100}, {{0, 0}, {0, 0}}};
  table.dense_layer_by_tokens = {{1, 100}, {{0, 0}, {0, 0}}};
  table.head_by_seqs = {{1, 100}, {{0, 0}, {0, 0}}};
  // A uniform batch of D decodes at KV length p costs D * p^2 / 1000 (convex in p, so the mean lies low).
  auto& decode = table.attention_decode_by_batch_past;
  decode.x = {1, 2, 4};
  decode.y = {0, 100, 200, 300};
  for (double d : decode.x)
    for (double p : decode.y) decode.v.push_back({d * p * p / 1000, d * p});
  // Two decodes at 100 and 300: each its half of a batch of 2 at its length = (10 + 90) = 100,
  // where the mean length 200 would give 2 * 40 = 80.
  const StepShape step{{{1, 100}, {1, 300}}};
  CHECK(table.cost(step).time_s == doctest::Approx(100.0));
  // With a fold granule of 50 keys, a decode over 100 past tokens (101 keys) is looked up at its stair's
  // top, 150 keys = 149 past; one over 99 past (100 keys) is a stair top already. At D = 2 the surface
  // is linear between its points: 20 + 0.49 * (80 - 20) = 49.4 at 149, 0.99 * 20 = 19.8 at 99; each
  // decode pays half.
  table.decode_keys_granule = 50;
  CHECK(table.stair_top(100) == 149);
  CHECK(table.stair_top(99) == 99);
  const StepShape stairs{{{1, 100}, {1, 99}}};
  CHECK(table.cost(stairs).time_s == doctest::Approx((49.4 + 19.8) / 2));
  // Energy (here D * p, linear) at the exact lengths: (2 * 100 + 2 * 99) / 2.
  CHECK(table.cost(stairs).energy_j == doctest::Approx(199.0));
}

TEST_CASE("capacity search: the max rate meets the SLO, 1% above it does not, and the knee brackets it") {
  SloSpec slo;
  slo.ttft_p90_s = 0.05;
  slo.tpot_p99_s = 0.01;
  // 200 requests of 256 in / 64 out, evenly spaced at `rate`.
  const auto at = [](double rate) {
    std::vector<ServeRequest> requests;
    for (int i = 0; i < 200; ++i) requests.push_back(request(i / rate, 256, 64));
    return requests;
  };
  const SchedulerConfig c = config(100000, 64);
  const auto result = find_max_rate(c, LinearCosts{}, slo, at);
  const double rate = result["max_rate_per_s"].get<double>();
  const auto meets = [&](double r) {
    const auto requests = at(r);
    return summarize_serving(requests, run_serving(requests, c, LinearCosts{}, false), slo, c.kv_blocks).meets_slo;
  };
  CHECK(meets(rate));
  CHECK_FALSE(meets(rate * 1.02));
  const auto& knee = result["knee"];
  CHECK(knee["rate_per_s"].size() == std::size(kKneeRateFactors));
  CHECK(knee["rate_per_s"][4].get<double>() == doctest::Approx(rate));
  // More offered load never lowers throughput here, and twice the max rate misses the SLO.
  for (size_t i = 1; i < knee["rate_per_s"].size(); ++i)
    CHECK(knee["output_tokens_per_s"][i].get<double>() >= 0.999 * knee["output_tokens_per_s"][i - 1].get<double>());
  CHECK_FALSE(meets(2 * rate));
}
