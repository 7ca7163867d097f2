// Serving under a parallel plan (issue 13): a step's collectives over the links, the system's step cost
// and energy, and data-parallel replicas sharing one request stream; arithmetic written in each case.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "analysis/multichip/plan_step_costs.h"
#include "analysis/multichip/replica_serving.h"

namespace {

using npusim::StepCost;
using npusim::StepShape;

npusim::SystemConfig switch_system(uint32_t chips, double gbytes_per_s, double pj_per_bit) {
  npusim::SystemConfig config;
  config.npu = "furiosa-rngd";
  config.chips = chips;
  config.topology = npusim::SystemTopology::kSwitch;
  config.link.bandwidth_gbytes_per_s = gbytes_per_s;
  config.link.latency_ns = 0.0;
  config.link.energy_pj_per_bit = pj_per_bit;
  return config;
}

npusim::TransformerDims dims(uint32_t layers, uint32_t hidden, uint64_t vocab) {
  npusim::TransformerDims m;
  m.layers = layers;
  m.d_model = hidden;
  m.vocab = vocab;
  return m;
}

// A one-layer Llama shard's op names in program order (what the zoo names them).
std::vector<std::string> layer_ops() {
  return {"embed_tokens",        "layers.0.input_norm",     "layers.0.self_attn.qkv_proj",
          "layers.0.self_attn.attention", "layers.0.self_attn.o_proj", "layers.0.post_norm",
          "layers.0.mlp.gate_up_proj",    "layers.0.mlp.down_proj",    "final_norm", "lm_head"};
}

class ConstantCosts final : public npusim::StepCostModel {
 public:
  ConstantCosts(double time_s, double energy_j, double idle_w) : time_s_(time_s), energy_j_(energy_j), idle_w_(idle_w) {}
  StepCost cost(const StepShape&) const override { return {time_s_, energy_j_}; }
  double idle_power_w() const override { return idle_w_; }

 private:
  double time_s_, energy_j_, idle_w_;
};

StepShape shape_of(uint64_t prefill_tokens, uint64_t decodes) {
  StepShape shape;
  if (prefill_tokens > 0) shape.seqs.push_back({prefill_tokens, 0});
  for (uint64_t d = 0; d < decodes; ++d) shape.seqs.push_back({1, 100});
  return shape;
}

}  // namespace

TEST_CASE("plan step costs: TP=2 collectives of a step follow the ring closed forms") {
  // 2 chips on a switch at B = 1000 GB/s (1 ps per byte), no latency or host overhead. A 2-chip ring
  // all-reduce of S bytes takes 2(N-1)/N * S / B = S ps; an all-gather of S bytes (N-1)/N * S / B = S/2 ps.
  // A step of N tokens over S sequences, hidden H = 1024, vocab V = 32000, 1-byte activations, L = 4
  // layers: the embedding's all-reduce and two a layer (after o_proj and down_proj), N*H bytes each:
  // (1 + 2L) * N * H ps; the head gathers the logits, S*V bytes: S*V/2 ps.
  npusim::ParallelPlan plan;
  plan.tp = 2;
  const npusim::PlanCommunication links(switch_system(2, 1000.0, 0.0), plan, dims(4, 1024, 32000), layer_ops(), 4, 1);
  for (const auto& [tokens, seqs] : {std::pair<uint64_t, uint64_t>{1, 1}, {2048, 1}, {300, 44}}) {
    const double expected_ps = 9.0 * tokens * 1024 + seqs * 32000 / 2.0;
    CHECK(links.step(tokens, seqs).time_s * 1e12 == doctest::Approx(expected_ps).epsilon(1e-9));
  }
}

TEST_CASE("plan step costs: link energy counts every byte on every link it crosses") {
  // One layer, 2 chips on a switch, 10 pJ/bit. A 2-chip ring all-reduce of S bytes is two steps in which
  // each chip sends S/2 to the other: 2 * 2 * S/2 = 2S bytes, each crossing its uplink and the peer's
  // downlink (2 links): 4S bytes = 32S bits. Step of N = 64 tokens, H = 256: S = 16384 B for each of the
  // 3 all-reduces; the head's all-gather (S' = 1 x 1000 B): one step, each chip sends S'/2, 2 links: 2S'
  // bytes crossed. Energy = 10 pJ/bit * 8 * (3 * 4 * 16384 + 2 * 1000) bits.
  npusim::ParallelPlan plan;
  plan.tp = 2;
  const npusim::PlanCommunication links(switch_system(2, 100.0, 10.0), plan, dims(1, 256, 1000), layer_ops(), 1, 1);
  CHECK(links.step(64, 1).link_energy_j == doctest::Approx(10e-12 * 8 * (3 * 4 * 16384 + 2 * 1000)));
}

TEST_CASE("plan step costs: the system's step is the shard's plus its communication; energy of every chip") {
  // TP=2, PP=2 (4 chips of one replica): the shard takes T = 10 ms and E = 1 J; communication c (the
  // 1-stage collectives plus one stage-to-stage send). Step time = T + c; energy = tp * E (each TP rank
  // runs every layer's shard once, over the stages) + link energy + idle power (2 W) for the chip time no
  // shard runs: 4 (T + c) - 2T.
  npusim::ParallelPlan plan;
  plan.tp = 2;
  plan.pp = 2;
  const npusim::PlanCommunication links(switch_system(4, 1000.0, 0.0), plan, dims(2, 1024, 32000), layer_ops(), 2, 1);
  const ConstantCosts shard(0.010, 1.0, 2.0);
  const npusim::PlanStepCosts system(shard, links);
  const StepShape step = shape_of(100, 3);
  // N = 103 tokens, S = 4 sequences: all-reduces (1 + 2*2) * N * H ps, a send of N*H bytes split over
  // the 2 TP ranks (N*H/2 each, concurrently on their own links: N*H/2 ps), the logits' gather S*V/2 ps.
  const double c = (5.0 * 103 * 1024 + 103 * 1024 / 2.0 + 4 * 32000 / 2.0) * 1e-12;
  const StepCost cost = system.cost(step);
  CHECK(cost.time_s == doctest::Approx(0.010 + c));
  CHECK(cost.energy_j == doctest::Approx(2 * 1.0 + 2.0 * (4 * (0.010 + c) - 2 * 0.010)));
  CHECK(system.idle_power_w() == doctest::Approx(8.0));  // 4 chips at 2 W
}

TEST_CASE("replica serving: two replicas take alternate requests") {
  // Two requests at t = 0 of 1 input and 1 output token, one sequence an iteration, 1 s a step at 3 J,
  // idle 1 W. One replica: the second request waits for the first, finishing at 1 s and 2 s. Two
  // replicas (round robin): both finish at 1 s; energy 2 x 3 J busy, nothing idle.
  npusim::SchedulerConfig config;
  config.max_num_seqs = 1;
  config.kv_blocks = 100;
  const ConstantCosts costs(1.0, 3.0, 1.0);
  std::vector<npusim::ServeRequest> requests(2);
  for (size_t i = 0; i < requests.size(); ++i) requests[i].id = "r" + std::to_string(i);
  const auto one = npusim::run_replicated_serving(requests, config, costs, 1, true);
  CHECK(one.requests[1].finish_s == doctest::Approx(2.0));
  const auto two = npusim::run_replicated_serving(requests, config, costs, 2, true);
  CHECK(two.requests[0].finish_s == doctest::Approx(1.0));
  CHECK(two.requests[1].finish_s == doctest::Approx(1.0));
  CHECK(two.duration_s == doctest::Approx(1.0));
  CHECK(two.busy_energy_j == doctest::Approx(6.0));
  CHECK(two.idle_energy_j == doctest::Approx(0.0));
  CHECK(two.iterations.size() == 2);
  // Three requests over two replicas: the replica with one request idles 1 s while the other runs its
  // second: 1 W x 1 s.
  requests.push_back(requests[0]);
  const auto three = npusim::run_replicated_serving(requests, config, costs, 2, true);
  CHECK(three.duration_s == doctest::Approx(2.0));
  CHECK(three.idle_energy_j == doctest::Approx(1.0));
}
