#include "analysis/serving/step_cost_table.h"

#include <algorithm>

namespace npusim {
namespace {

// Index k of the segment [x[k], x[k+1]] used for `value` (the first or last one outside the range).
size_t segment(const std::vector<double>& x, double value) {
  if (x.size() < 2) return 0;
  const auto it = std::upper_bound(x.begin(), x.end(), value);
  const size_t k = it == x.begin() ? 0 : static_cast<size_t>(it - x.begin()) - 1;
  return std::min(k, x.size() - 2);
}

StepCost lerp(const StepCost& a, const StepCost& b, double t) {
  return {a.time_s + t * (b.time_s - a.time_s), a.energy_j + t * (b.energy_j - a.energy_j)};
}

double fraction(const std::vector<double>& x, size_t k, double value) {
  return x.size() < 2 ? 0.0 : (value - x[k]) / (x[k + 1] - x[k]);
}

}  // namespace

StepCost CostCurve::at(double value) const {
  if (y.size() < 2) return y.empty() ? StepCost{} : y.front();
  const size_t k = segment(x, value);
  return lerp(y[k], y[k + 1], fraction(x, k, value));
}

StepCost CostSurface::at(double x_value, double y_value) const { return sum_at(x_value, {y_value}); }

StepCost CostSurface::sum_at(double x_value, const std::vector<double>& ys) const {
  const size_t ny = y.size();
  StepCost total;
  if (x.empty() || ny == 0) return total;
  const size_t kx = segment(x, x_value);
  const double tx = fraction(x, kx, x_value);
  const size_t kx1 = x.size() < 2 ? kx : kx + 1;
  for (double y_value : ys) {
    const size_t ky = segment(y, y_value);
    const double ty = fraction(y, ky, y_value);
    const size_t ky1 = ny < 2 ? ky : ky + 1;
    const StepCost low = lerp(v[kx * ny + ky], v[kx * ny + ky1], ty);
    const StepCost high = lerp(v[kx1 * ny + ky], v[kx1 * ny + ky1], ty);
    const StepCost c = lerp(low, high, tx);
    total.time_s += c.time_s;
    total.energy_j += c.energy_j;
  }
  return total;
}

uint64_t LlmStepCostTable::stair_top(uint64_t past_tokens) const {
  const uint64_t granule = std::max<uint64_t>(1, decode_keys_granule);
  return (past_tokens + 1 + granule - 1) / granule * granule - 1;
}

StepCost LlmStepCostTable::decode_attention(const StepShape& shape) const {
  std::vector<double> pasts, tops;
  pasts.reserve(shape.seqs.size());
  tops.reserve(shape.seqs.size());
  double below_tops = 0.0;  // keys between each decode's length and its stair's top, summed
  for (const SeqWork& seq : shape.seqs) {
    if (seq.query_tokens != 1 || seq.past_tokens == 0) continue;
    pasts.push_back(static_cast<double>(seq.past_tokens));
    tops.push_back(static_cast<double>(stair_top(seq.past_tokens)));
    below_tops += tops.back() - pasts.back();
  }
  if (pasts.empty()) return {};
  // Time: at the stair tops, less the slope within a stair; energy (event counts x energies, linear in
  // the keys) at the exact lengths.
  const double batch = static_cast<double>(pasts.size());
  const CostSurface& surface = attention_decode_by_batch_past;
  const double slope_s = decode_slope_within_stair_by_batch.y.empty() ? 0.0 : decode_slope_within_stair_by_batch.at(batch).time_s;
  return {(surface.sum_at(batch, tops).time_s - slope_s * below_tops) / batch, surface.sum_at(batch, pasts).energy_j / batch};
}

StepCost LlmStepCostTable::cost(const StepShape& shape) const {
  if (shape.seqs.empty()) return {};
  const double tokens = static_cast<double>(shape.total_tokens());
  StepCost per_layer = dense_layer_by_tokens.at(tokens);
  for (const SeqWork& seq : shape.seqs) {
    if (seq.query_tokens == 1 && seq.past_tokens > 0) continue;  // decodes: decode_attention below
    const double q = static_cast<double>(seq.query_tokens);
    const double p = static_cast<double>(seq.past_tokens);
    const StepCost a = seq.past_tokens == 0 ? attention_prefill_per_token.at(q) : attention_per_query_token.at(q, p);
    per_layer.time_s += q * a.time_s;
    per_layer.energy_j += q * a.energy_j;
  }
  const StepCost decode = decode_attention(shape);
  per_layer.time_s += decode.time_s;
  per_layer.energy_j += decode.energy_j;
  const StepCost embed = embed_by_tokens.at(tokens);
  const StepCost head = head_by_seqs.at(static_cast<double>(shape.seqs.size()));
  const double n = static_cast<double>(layers);
  return {embed.time_s + n * per_layer.time_s + head.time_s, embed.energy_j + n * per_layer.energy_j + head.energy_j};
}

}  // namespace npusim
