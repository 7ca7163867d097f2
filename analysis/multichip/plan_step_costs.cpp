// Communication of a serving step under a parallel plan, and the step costs that add it to a shard's.
#include "analysis/multichip/plan_step_costs.h"

#include <utility>

#include "analysis/multichip/system_pass.h"

namespace npusim {
namespace {

StepCommunication of(const SystemPassResult& pass) {
  return {static_cast<double>(pass.time_ps) * 1e-12, pass.link_energy_j};
}

}  // namespace

PlanCommunication::PlanCommunication(SystemConfig system, const ParallelPlan& plan, const TransformerDims& model,
                                     std::vector<std::string> layer_ops, uint32_t layers, Bytes element_bytes)
    : system_(std::move(system)), plan_(plan), model_(model), layers_(layers), element_bytes_(element_bytes) {
  for (std::string& name : layer_ops) ops_.push_back(OpTime{std::move(name), 0.0});
}

PassShape PlanCommunication::shape(uint64_t tokens, uint64_t sequences) const {
  PassShape s;
  s.tokens = tokens;
  s.sequences = sequences;
  s.hidden = model_.d_model;
  s.vocab = model_.vocab;
  s.experts_per_token = model_.experts_per_token;
  s.element_bytes = element_bytes_;
  return s;
}

// The embedding's collective with the stage-to-stage sends, and every layer's collectives.
StepCommunication PlanCommunication::by_tokens(uint64_t tokens) const {
  const auto found = tokens_memo_.find(tokens);
  if (found != tokens_memo_.end()) return found->second;
  const PassSegments all = pass_segments(ops_, plan_, shape(tokens, 1));
  ParallelPlan one_stage = plan_;
  one_stage.pp = 1;
  one_stage.dp = 1;
  ParallelPlan stages = one_stage;
  stages.pp = plan_.pp;
  PassSegments embed;
  embed.first_stage = all.first_stage;
  embed.stage_send_bytes = all.stage_send_bytes;
  PassSegments layer;
  layer.layers = all.layers;
  const StepCommunication first = of(run_system_pass(system_, stages, 1, embed));
  const StepCommunication per_layer = of(run_system_pass(system_, one_stage, 1, layer));
  const StepCommunication total{first.time_s + layers_ * per_layer.time_s,
                                first.link_energy_j + layers_ * per_layer.link_energy_j};
  tokens_memo_.emplace(tokens, total);
  return total;
}

// The LM head's gather of the logits, one row per sequence.
StepCommunication PlanCommunication::by_sequences(uint64_t sequences) const {
  const auto found = sequences_memo_.find(sequences);
  if (found != sequences_memo_.end()) return found->second;
  ParallelPlan one_stage = plan_;
  one_stage.pp = 1;
  one_stage.dp = 1;
  PassSegments head;
  head.last_stage = pass_segments(ops_, plan_, shape(sequences, sequences)).last_stage;
  const StepCommunication total = of(run_system_pass(system_, one_stage, 1, head));
  sequences_memo_.emplace(sequences, total);
  return total;
}

StepCommunication PlanCommunication::step(uint64_t tokens, uint64_t sequences) const {
  const StepCommunication a = by_tokens(tokens);
  const StepCommunication b = by_sequences(sequences);
  return {a.time_s + b.time_s, a.link_energy_j + b.link_energy_j};
}

StepCost PlanStepCosts::cost(const StepShape& shape) const {
  const StepCost shard = shard_.cost(shape);
  const StepCommunication link = communication_.step(shape.total_tokens(), shape.seqs.size());
  const ParallelPlan& plan = communication_.plan();
  const double tp = plan.tp;
  const double chips = static_cast<double>(plan.tp) * plan.pp;
  StepCost out;
  out.time_s = shard.time_s + link.time_s;
  out.energy_j = tp * shard.energy_j + link.link_energy_j +
                 shard_.idle_power_w() * (chips * out.time_s - tp * shard.time_s);
  return out;
}

double PlanStepCosts::idle_power_w() const {
  const ParallelPlan& plan = communication_.plan();
  return shard_.idle_power_w() * plan.tp * plan.pp;
}

}  // namespace npusim
