// What one serving iteration computes and what it costs. The engine asks a StepCostModel for the cost of
// every iteration's shape; the NPU and GPU sides differ only in the model behind it.
#pragma once

#include <cstdint>
#include <vector>

namespace npusim {

// One sequence's share of an iteration: `query_tokens` new tokens (a prefill chunk, or 1 for a decode
// step) attending over `past_tokens` already in its KV cache.
struct SeqWork {
  uint64_t query_tokens = 1;
  uint64_t past_tokens = 0;
};

struct StepShape {
  std::vector<SeqWork> seqs;
  uint64_t total_tokens() const {
    uint64_t total = 0;
    for (const SeqWork& s : seqs) total += s.query_tokens;
    return total;
  }
};

struct StepCost {
  double time_s = 0.0;
  double energy_j = 0.0;
};

class StepCostModel {
 public:
  virtual ~StepCostModel() = default;
  virtual StepCost cost(const StepShape& shape) const = 0;
  // Power drawn while no iteration runs (leakage / GPU idle), for the gaps between iterations.
  virtual double idle_power_w() const = 0;
};

}  // namespace npusim
