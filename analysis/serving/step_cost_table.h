// Step costs of a decoder LLM from a table of simulated pieces, interpolated piecewise linearly:
//   cost(step) = embed(N) + layers * (dense(N) + decode_attention(D, mean p) + sum over prefilling
//                sequences attention(q_i, p_i)) + head(S)
// N = tokens in the step, S = sequences, D = decoding sequences (one query token each) and mean p their
// mean KV length: the decodes' attention runs as one batched operator, as paged-attention kernels do,
// and at a fixed batch its cost is close to linear in the KV length, so the mean stands for the mix.
// (q_i, p_i) = a prefilling sequence's query and past tokens. dense is one decoder layer without its
// attention operator (norms, projections, MLP, residuals), head is the final norm and the LM head.
// Each piece is measured by simulating it at grid points (sim/serve/step_cost_builder.*).
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/serving/step_cost.h"

namespace npusim {

// y(x) over ascending x, linear between points and beyond the ends along the nearest segment.
struct CostCurve {
  std::vector<double> x;
  std::vector<StepCost> y;
  StepCost at(double value) const;
};

// v(x, y) on an x-by-y lattice (v[ix * y.size() + iy]), bilinear inside, extended linearly outside.
struct CostSurface {
  std::vector<double> x;
  std::vector<double> y;
  std::vector<StepCost> v;
  StepCost at(double x_value, double y_value) const;
};

class LlmStepCostTable final : public StepCostModel {
 public:
  uint32_t layers = 1;
  CostCurve embed_by_tokens;
  CostCurve dense_layer_by_tokens;
  CostCurve head_by_seqs;
  CostCurve attention_prefill_per_token;  // p = 0: attention(q, 0) / q, per layer
  // q = 1: a batch of D decodes at mean past p, per layer and per decode (cost / D, close to bilinear).
  CostSurface attention_decode_by_batch_past;
  // Chunked prefills (q > 1, p > 0). Per layer, per sequence and per query token: attention(q, p) / q, so that a causal prefill's cost,
  // about q * (q / 2 + p), is bilinear in (q, p) and interpolates without the error of a quadratic.
  CostSurface attention_per_query_token;
  double idle_w = 0.0;

  StepCost cost(const StepShape& shape) const override;
  double idle_power_w() const override { return idle_w; }
};

}  // namespace npusim
