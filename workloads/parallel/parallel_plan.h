// A parallel plan for a Llama-family decoder over several chips (tensor, pipeline, expert and data
// parallel degrees) and the shard one chip runs: the same model with heads, K/V heads, FFN and
// vocabulary split by TP (Megatron column/row splits), the layers of one PP stage, the experts of one
// EP rank and one micro-batch of one DP replica. The shard is itself a zoo spec, so one chip is
// simulated per distinct shard shape.
#pragma once

#include <cstdint>
#include <string>

#include "workloads/workload_spec.h"
#include "workloads/zoo/transformer_builder.h"

namespace npusim {

struct ParallelPlan {
  uint32_t tp = 1;
  uint32_t pp = 1;
  uint32_t ep = 1;  // 1, or tp: experts spread over the tensor-parallel group
  uint32_t dp = 1;
  uint32_t micro_batches = 0;  // per replica and pass; 0: pp (capped by the replica's batch)
  uint32_t expert_load_pct = 100;  // the busiest EP rank's routed slots against the mean
  bool tree_all_reduce = false;    // recursive halving-doubling instead of ring (power-of-two groups)
  uint32_t chips() const { return tp * pp * dp; }
  bool parallel() const { return chips() > 1; }
};

struct ShardPlan {
  WorkloadSpec spec;        // the shard, without seq and past (LLM mode adds them)
  TransformerDims model;    // the whole model's shape
  uint32_t stage_layers = 1;     // layers of the busiest pipeline stage, ceil(layers / pp)
  uint32_t batch = 1;            // sequences of the whole run
  uint32_t micro_batch = 1;      // sequences per micro-batch of one replica
  uint32_t micro_batches = 1;    // micro-batches per replica and pass
};

// Checks the plan against the model and the system (one line naming the CLI option and the
// expectation, InputError at "<cli>") and builds the shard. `batch`: sequences of the whole run.
ShardPlan plan_shard(const WorkloadSpec& spec, uint32_t batch, const ParallelPlan& plan, uint32_t system_chips);

}  // namespace npusim
