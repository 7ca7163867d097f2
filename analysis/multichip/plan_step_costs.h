// Serving step costs of a parallel plan: one chip's shard costs a step (a StepCostModel built for the
// TP/EP shard with all the model's layers), and the plan's collectives for the step's N tokens and S
// sequences are placed on the system's links (an otherwise idle fabric, so they add). Pipeline stages run
// one iteration at a time (no iterations overlapped across stages), so a step is the shard's time plus
// the collectives plus the (pp-1) stage-to-stage sends.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analysis/multichip/pass_segments.h"
#include "analysis/serving/step_cost.h"
#include "arch/spec/system_config.h"
#include "workloads/parallel/parallel_plan.h"

namespace npusim {

// What a step's communication costs: time on the critical path and energy on the links.
struct StepCommunication {
  double time_s = 0.0;
  double link_energy_j = 0.0;
};

class PlanCommunication {
 public:
  // `layer_ops`: the op names of one chip's one-layer shard in program order (embedding, one layer,
  // head), which say where the collectives go (pass_segments.h). `layers`: the whole model's.
  PlanCommunication(SystemConfig system, const ParallelPlan& plan, const TransformerDims& model,
                    std::vector<std::string> layer_ops, uint32_t layers, Bytes element_bytes);
  // A step of `tokens` new tokens over `sequences` sequences (memoized by each).
  StepCommunication step(uint64_t tokens, uint64_t sequences) const;
  const ParallelPlan& plan() const { return plan_; }

 private:
  StepCommunication by_tokens(uint64_t tokens) const;
  StepCommunication by_sequences(uint64_t sequences) const;
  PassShape shape(uint64_t tokens, uint64_t sequences) const;

  SystemConfig system_;
  ParallelPlan plan_;
  TransformerDims model_;
  std::vector<OpTime> ops_;
  uint32_t layers_;
  Bytes element_bytes_;
  mutable std::map<uint64_t, StepCommunication> tokens_memo_, sequences_memo_;
};

// One replica's step: the shard's time plus communication; energy of its tp x pp chips: each TP rank's
// shard energy, the links, and every chip's idle power for the time it is not running its shard.
class PlanStepCosts final : public StepCostModel {
 public:
  PlanStepCosts(const StepCostModel& shard, const PlanCommunication& communication)
      : shard_(shard), communication_(communication) {}
  StepCost cost(const StepShape& shape) const override;
  double idle_power_w() const override;

 private:
  const StepCostModel& shard_;
  const PlanCommunication& communication_;
};

}  // namespace npusim
