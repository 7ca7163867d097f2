// Builds the NPU's and the GPU's step-cost tables for a decoder LLM (analysis/serving/step_cost_table.h)
// from one simulation: every grid point is a one-layer workload of the model (seq = q, past = p, batch,
// layers = 1), all simulated back to back in this process (SystemC elaborates once per process), and
// each row is sorted into embed / dense layer / attention / head by its operator. The same run also
// simulates the exact pieces of `validation_steps` random steps, so the table's interpolation error is
// measured, not assumed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/serving/step_cost_table.h"
#include "sim/run/run_job.h"

namespace npusim {

struct StepGridLimits {
  uint64_t max_tokens = 8192;   // tokens in one iteration
  uint64_t max_query = 8192;    // query tokens of one sequence in one iteration
  uint64_t max_context = 4096;  // tokens one sequence ever holds (past + query)
  uint64_t model_context = 4096;  // the model's trained context: grid points beyond it are clamped
  uint32_t max_seqs = 256;      // sequences in one iteration
  bool chunked = false;         // sarathi: prefill chunks over a non-empty cache
  uint64_t decode_keys_granule = 1;  // the array's fold granule in keys (LlmStepCostTable)
  uint32_t validation_steps = 8;
  uint64_t seed = 1;
};

struct StepValidation {
  double max_time_error = 0.0;  // |table - direct| / direct over the random steps
  double max_energy_error = 0.0;
  double mean_time_error = 0.0;
  uint32_t steps = 0;
};

// Counts one of `step_count` random steps into v: the relative error of the cost used against the exact one.
void add_step_error(StepValidation& v, const StepCost& used, const StepCost& exact, size_t step_count);

struct StepCostTables {
  LlmStepCostTable npu;
  std::optional<LlmStepCostTable> gpu;
  StepValidation npu_validation;
  std::optional<StepValidation> gpu_validation;
  std::vector<StepShape> validation_steps;  // the random steps the validations used
  StepGridLimits limits;        // the steps the grids span
  uint64_t grid_workloads = 0;  // one-layer workloads simulated for the tables
  double simulation_wall_s = 0.0;
};

// `base` carries npu, gpu, overrides and dtype; `model` is the zoo spec (without seq/past/batch/layers).
StepCostTables build_step_cost_tables(const RunOptions& base, const std::string& model, uint32_t layers,
                                      const StepGridLimits& limits);

// Grid points from `first` (0 or 1) up to and including `max`: 1, 2, 4, 8, 16, then steps of
// ratio_sixteenths / 16 (17: 1.0625x, 24: 1.5x).
std::vector<uint64_t> step_grid(uint64_t first, uint64_t max, uint64_t ratio_sixteenths);

}  // namespace npusim
