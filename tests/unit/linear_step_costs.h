// A step-cost model whose arithmetic the serving tests can write down: time = c0 + c_tok * tokens +
// c_kv * (sum of the sequences' past tokens), energy 100 J per second of step, 10 W idle.
#pragma once

#include "analysis/serving/step_cost.h"

namespace npusim_test {

constexpr double c0 = 1e-3, c_tok = 1e-5, c_kv = 1e-7;

class LinearCosts final : public npusim::StepCostModel {
 public:
  npusim::StepCost cost(const npusim::StepShape& shape) const override {
    double past = 0;
    for (const npusim::SeqWork& s : shape.seqs) past += static_cast<double>(s.past_tokens);
    const double t = c0 + c_tok * static_cast<double>(shape.total_tokens()) + c_kv * past;
    return {t, 100.0 * t};
  }
  double idle_power_w() const override { return 10.0; }
};

}  // namespace npusim_test
