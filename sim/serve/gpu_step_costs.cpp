#include "sim/serve/gpu_step_costs.h"

#include "analysis/gpu/gpu_model.h"
#include "sim/run/workload_loader.h"
#include "workloads/workload_spec.h"

namespace npusim {
namespace {

void add(StepCost& to, const StepCost& from, double times = 1.0) {
  to.time_s += times * from.time_s;
  to.energy_j += times * from.energy_j;
}

}  // namespace

const GpuStepCosts::Pieces& GpuStepCosts::pieces(uint64_t seq, uint64_t past, uint64_t batch) const {
  const auto key = std::make_tuple(seq, past, batch);
  const auto found = memo_.find(key);
  if (found != memo_.end()) return found->second;
  WorkloadSpec spec = parse_workload_spec(model_);
  spec.params["seq"] = std::to_string(seq);
  if (past > 0) spec.params["past"] = std::to_string(past);
  spec.params["batch"] = std::to_string(batch);
  spec.params["layers"] = "1";
  const Workload workload = load_workload(WorkloadRequest{format_workload_spec(spec), 0, std::nullopt}, dtype_);
  const GpuRunEstimate estimate = estimate_gpu_workload(workload, config_);
  // The same rule as the NPU table: ops named "<layer>." like the attention operator form the layer;
  // ops before it are the embeddings, after it the head.
  std::string prefix;
  for (const Operator& op : workload.ops)
    if (op.kind == OpKind::kAttention && prefix.empty()) prefix = op.name.substr(0, op.name.rfind('.') + 1);
  Pieces out;
  bool seen_layer = false;
  for (size_t i = 0; i < workload.ops.size(); ++i) {
    const Operator& op = workload.ops[i];
    const StepCost c{estimate.ops[i].time_s, estimate.ops[i].energy_j};
    const bool in_layer = !prefix.empty() && op.name.rfind(prefix, 0) == 0;
    seen_layer = seen_layer || in_layer;
    add(op.kind == OpKind::kAttention ? out.attention : in_layer ? out.dense : seen_layer ? out.head : out.embed, c);
  }
  return memo_.emplace(key, out).first->second;
}

StepCost GpuStepCosts::cost(const StepShape& shape) const { return cost_with(shape, false); }

StepCost GpuStepCosts::per_sequence_cost(const StepShape& shape) const { return cost_with(shape, true); }

StepCost GpuStepCosts::cost_with(const StepShape& shape, bool per_sequence) const {
  if (shape.seqs.empty()) return {};
  const uint64_t n = shape.total_tokens();
  StepCost per_layer = pieces(n, 0, 1).dense;
  std::map<uint64_t, uint64_t> decodes_by_past;
  uint64_t decodes = 0, decode_past = 0;
  for (const SeqWork& s : shape.seqs) {
    if (s.query_tokens == 1 && s.past_tokens > 0) {
      ++decodes;
      decode_past += s.past_tokens;
      ++decodes_by_past[s.past_tokens];
      continue;
    }
    add(per_layer, pieces(s.query_tokens, s.past_tokens, 1).attention);
  }
  if (decodes > 0 && !per_sequence) add(per_layer, pieces(1, (decode_past + decodes / 2) / decodes, decodes).attention);
  if (decodes > 0 && per_sequence) {
    for (const auto& [past, count] : decodes_by_past)
      add(per_layer, pieces(1, past, decodes).attention, static_cast<double>(count) / static_cast<double>(decodes));
  }
  StepCost total = pieces(n, 0, 1).embed;
  add(total, per_layer, static_cast<double>(layers_));
  add(total, pieces(1, 0, shape.seqs.size()).head);
  return total;
}

}  // namespace npusim
