// Step costs of a decoder LLM from a table of simulated pieces, interpolated piecewise linearly:
//   cost(step) = embed(N) + layers * (dense(N) + sum over decoding sequences decode(D, p_i) / D
//                + sum over prefilling sequences attention(q_i, p_i)) + head(S)
// N = tokens in the step, S = sequences, D = decoding sequences (one query token each), p_i a sequence's
// KV length. decode(D, p) is one batched attention operator of D decodes all at KV length p, as
// paged-attention kernels run a batch; each decoding sequence is charged its 1/D share of that operator
// at its own KV length, so a batch of mixed lengths costs the mean of the uniform batches at each
// length (exact where the operator's cost is affine in p; per sequence, not at the batch's mean length).
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
  // sum over ys of at(x_value, y): the x segment is found once.
  StepCost sum_at(double x_value, const std::vector<double>& ys) const;
};

class LlmStepCostTable final : public StepCostModel {
 public:
  uint32_t layers = 1;
  CostCurve embed_by_tokens;
  CostCurve dense_layer_by_tokens;
  CostCurve head_by_seqs;
  CostCurve attention_prefill_per_token;  // p = 0: attention(q, 0) / q, per layer
  // q = 1: a batch of D decodes all at past p, per layer, the whole operator (about a + b * D in D at a
  // fixed p, so interpolating the total in D is exact for the fixed cost a, unlike interpolating cost / D).
  // In p it is a staircase: the array walks the p + 1 keys in folds of its rows or columns, so the time
  // jumps at every multiple of the fold granule G = gcd(rows, cols) (5-10% per stair on RNGD at 1k keys)
  // and is nearly flat between. Its grid therefore sits on stair tops (p + 1 a multiple of G) and a
  // decode's time is looked up at its stair's top, so the interpolation runs over whole stairs, not across
  // them; its energy (event counts, linear in the keys) at its own length.
  // A memory-bound operator is linear in p instead, so the lookup steps back from the stair top along
  // the time's slope within a stair, measured per batch size on one stair (a staircase's is near 0).
  CostSurface attention_decode_by_batch_past;
  uint64_t decode_keys_granule = 1;
  CostCurve decode_slope_within_stair_by_batch;  // time per key inside a stair (energy unused)
  // Chunked prefills (q > 1, p > 0). Per layer, per sequence and per query token: attention(q, p) / q, so that a causal prefill's cost,
  // about q * (q / 2 + p), is bilinear in (q, p) and interpolates without the error of a quadratic.
  CostSurface attention_per_query_token;
  double idle_w = 0.0;

  StepCost cost(const StepShape& shape) const override;
  double idle_power_w() const override { return idle_w; }
  // The decoding sequences' attention in one layer, each at its own KV length.
  StepCost decode_attention(const StepShape& shape) const;
  // The KV length at the top of `past_tokens`' stair: p + 1 keys rounded up to a multiple of the granule.
  uint64_t stair_top(uint64_t past_tokens) const;
};

}  // namespace npusim
