// Plan checks (degrees that divide what they split, enough chips, layers and batch) and the shard spec.
#include "workloads/parallel/parallel_plan.h"

#include <algorithm>

#include "arch/spec/input_error.h"
#include "workloads/zoo/model_zoo.h"

namespace npusim {
namespace {

std::string str(uint64_t value) { return std::to_string(value); }

[[noreturn]] void fail(const std::string& option, const std::string& expectation) {
  throw InputError("<cli>", option, expectation);
}

void check_divides(const char* option, uint32_t degree, uint64_t size, const std::string& what) {
  if (size % degree != 0) {
    fail(option, "expected a divisor of " + what + " (" + str(size) + "), got " + str(degree));
  }
}

void check_tensor_parallel(const ParallelPlan& plan, const TransformerDims& m) {
  check_divides("--tp", plan.tp, m.heads, "the model's heads");
  check_divides("--tp", plan.tp, m.d_model, "the model's hidden size");
  if (m.kv_heads % plan.tp != 0 && plan.tp % m.kv_heads != 0) {
    fail("--tp", "expected a divisor or multiple of the model's K/V heads (" + str(m.kv_heads) + "), got " +
                     str(plan.tp));
  }
  if (!m.moe()) check_divides("--tp", plan.tp, m.ffn, "the model's FFN width");
  if (m.moe() && plan.ep == 1) check_divides("--tp", plan.tp, m.expert_ffn, "the experts' FFN width");
}

void check_expert_parallel(const ParallelPlan& plan, const TransformerDims& m) {
  if (plan.ep == 1) return;
  if (!m.moe()) fail("--ep", "applies to mixture-of-experts models (mixtral-8x7b, qwen3-30b-a3b)");
  if (plan.ep != plan.tp) {
    fail("--ep", "expected 1 or the --tp degree " + str(plan.tp) +
                     " (experts spread over the tensor-parallel group), got " + str(plan.ep));
  }
  check_divides("--ep", plan.ep, m.experts, "the model's experts");
}

uint32_t micro_batches_of(const ParallelPlan& plan, uint32_t replica_batch) {
  const uint32_t m = plan.micro_batches > 0 ? plan.micro_batches : std::min(plan.pp, replica_batch);
  if (m > replica_batch || replica_batch % m != 0) {
    fail("--micro-batches", "expected a divisor of the batch per replica (" + str(replica_batch) + "), got " +
                                str(m));
  }
  return m;
}

void set(WorkloadSpec& spec, const std::string& key, uint64_t value) { spec.params[key] = str(value); }

WorkloadSpec shard_spec(WorkloadSpec spec, const ParallelPlan& plan, const ShardPlan& shard) {
  const TransformerDims& m = shard.model;
  set(spec, "layers", shard.stage_layers);
  set(spec, "heads", m.heads / plan.tp);
  set(spec, "kv_heads", std::max<uint32_t>(1, m.kv_heads / plan.tp));  // replicated when tp > kv_heads
  set(spec, "head_dim", m.head_dim);
  set(spec, "vocab", ceil_div(m.vocab, plan.tp));  // vocabulary-parallel embedding and head
  set(spec, "batch", shard.micro_batch);
  if (!m.moe()) {
    set(spec, "ffn", m.ffn / plan.tp);
  } else if (plan.ep > 1) {
    set(spec, "ep", plan.ep);
    set(spec, "expert_load_pct", plan.expert_load_pct);
  } else {
    set(spec, "expert_ffn", m.expert_ffn / plan.tp);
  }
  return spec;
}

}  // namespace

ShardPlan plan_shard(const WorkloadSpec& spec, uint32_t batch, const ParallelPlan& plan, uint32_t system_chips) {
  const auto dims = zoo_decoder_dims(spec);
  if (!dims) {
    fail("--tp", "multi-chip plans take a Llama-family zoo decoder (llama2-7b, llama3.1-8b/70b/405b, "
                 "mixtral-8x7b, qwen3-30b-a3b), got '" + spec.name + "'");
  }
  if (plan.chips() > system_chips) {
    fail("--tp", "the plan needs tp*pp*dp = " + str(plan.chips()) + " chips, the system has " + str(system_chips));
  }
  ShardPlan shard;
  shard.model = *dims;
  check_tensor_parallel(plan, shard.model);
  check_expert_parallel(plan, shard.model);
  if (plan.pp > shard.model.layers) {
    fail("--pp", "expected at most the model's layers (" + str(shard.model.layers) + "), got " + str(plan.pp));
  }
  if (batch % plan.dp != 0) fail("--dp", "expected a divisor of the batch (" + str(batch) + "), got " + str(plan.dp));
  if (plan.expert_load_pct < 100 || plan.expert_load_pct > 100 * plan.ep) {
    fail("--expert-load-pct", "expected 100 (balanced) to 100 * ep (" + str(100 * plan.ep) + "), got " +
                                  str(plan.expert_load_pct));
  }
  shard.batch = batch;
  shard.stage_layers = static_cast<uint32_t>(ceil_div(shard.model.layers, plan.pp));
  shard.micro_batches = micro_batches_of(plan, batch / plan.dp);
  shard.micro_batch = batch / plan.dp / shard.micro_batches;
  shard.spec = shard_spec(spec, plan, shard);
  return shard;
}

}  // namespace npusim
