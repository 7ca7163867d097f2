// The GPU baseline's step costs, exact per shape: every piece (embed and dense layer at N tokens,
// attention at (q, p), head at S sequences) is the analytical GPU model (analysis/gpu) of a one-layer
// workload of that shape, memoized. No interpolation, so no interpolation error on the GPU side.
#pragma once

#include <map>
#include <string>
#include <tuple>

#include "analysis/gpu/gpu_config.h"
#include "analysis/serving/step_cost.h"
#include "arch/spec/dtype.h"

namespace npusim {

class GpuStepCosts final : public StepCostModel {
 public:
  // A serving engine runs the scheduler's batch as one forward pass: no offline engine-batch search.
  GpuStepCosts(GpuConfig config, std::string model, DType dtype, uint32_t layers)
      : config_(std::move(config)), model_(std::move(model)), dtype_(dtype), layers_(layers) {
    config_.engine_batch_search = false;
  }
  // Decodes as one batched attention at the batch's mean KV length: exact where the GPU model's attention
  // time is affine in the KV length (memory-bound, as decodes are); per_sequence_cost bounds the rest.
  StepCost cost(const StepShape& shape) const override;
  // The same step with each decode charged its 1/D share of a uniform batch at its own KV length (as
  // the NPU table does). Costs a GPU estimate per distinct length: for validating cost(), not for serving.
  StepCost per_sequence_cost(const StepShape& shape) const;
  double idle_power_w() const override { return config_.idle_w; }

 private:
  struct Pieces {
    StepCost embed, dense, attention, head;
  };
  const Pieces& pieces(uint64_t seq, uint64_t past, uint64_t batch) const;
  StepCost cost_with(const StepShape& shape, bool per_sequence) const;

  GpuConfig config_;
  std::string model_;
  DType dtype_;
  uint32_t layers_;
  mutable std::map<std::tuple<uint64_t, uint64_t, uint64_t>, Pieces> memo_;
};

}  // namespace npusim
