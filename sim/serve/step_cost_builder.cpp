#include "sim/serve/step_cost_builder.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <utility>
#include <random>

#include "workloads/workload_spec.h"

namespace npusim {
namespace {

// What one simulated one-layer workload cost, by piece.
struct PieceCosts {
  StepCost embed, dense, attention, head;
};

enum class Piece { kEmbed, kDense, kAttention, kHead };

// Rows of a one-layer workload: before the layer (embeddings), the layer (named "<layer>." like its
// attention operator "<layer>.<attn>"), after it (final norm, LM head).
std::vector<Piece> classify_rows(const LayerRows& rows, size_t first, size_t end) {
  std::string layer_prefix;
  for (size_t row = first; row < end && layer_prefix.empty(); ++row) {
    if (rows[row]["op"] != "attention") continue;
    const std::string name = rows[row]["name"].get<std::string>();
    layer_prefix = name.substr(0, name.rfind('.') + 1);
  }
  std::vector<Piece> pieces;
  bool seen_layer = false;
  for (size_t row = first; row < end; ++row) {
    const std::string name = rows[row]["name"].get<std::string>();
    const bool in_layer = !layer_prefix.empty() && name.rfind(layer_prefix, 0) == 0;
    seen_layer = seen_layer || in_layer;
    pieces.push_back(rows[row]["op"] == "attention" ? Piece::kAttention
                     : in_layer                     ? Piece::kDense
                     : seen_layer                   ? Piece::kHead
                                                    : Piece::kEmbed);
  }
  return pieces;
}

void add(StepCost& to, double time_s, double energy_j) {
  to.time_s += time_s;
  to.energy_j += energy_j;
}

StepCost& piece(PieceCosts& costs, Piece which) {
  switch (which) {
    case Piece::kEmbed:
      return costs.embed;
    case Piece::kDense:
      return costs.dense;
    case Piece::kAttention:
      return costs.attention;
    case Piece::kHead:
      return costs.head;
  }
  return costs.dense;
}

struct GridKey {
  uint64_t seq, past, batch;
  bool operator<(const GridKey& o) const { return std::tie(seq, past, batch) < std::tie(o.seq, o.past, o.batch); }
};

// The workloads to simulate, each once, and their costs after the run.
class PieceRun {
 public:
  PieceRun(std::string model, uint64_t context) : model_(std::move(model)), context_(context) {}
  void want(uint64_t seq, uint64_t past, uint64_t batch) {
    if (seq + past > context_) past = context_ > seq ? context_ - seq : 0;
    keys_.emplace(GridKey{seq, past, batch}, keys_.size());
  }
  const PieceCosts& npu(uint64_t seq, uint64_t past, uint64_t batch) const { return npu_.at(find(seq, past, batch)); }
  const PieceCosts& gpu(uint64_t seq, uint64_t past, uint64_t batch) const { return gpu_.at(find(seq, past, batch)); }
  size_t size() const { return keys_.size(); }
  bool has_gpu() const { return !gpu_.empty(); }
  void simulate(const RunOptions& base);

 private:
  size_t find(uint64_t seq, uint64_t past, uint64_t batch) const {
    if (seq + past > context_) past = context_ > seq ? context_ - seq : 0;
    return keys_.at(GridKey{seq, past, batch});
  }
  std::string model_;
  uint64_t context_;
  std::map<GridKey, size_t> keys_;
  std::vector<PieceCosts> npu_, gpu_;
};

void PieceRun::simulate(const RunOptions& base) {
  std::vector<GridKey> ordered(keys_.size());
  for (const auto& [key, index] : keys_) ordered[index] = key;
  RunOptions run = base;
  run.quiet = true;
  run.out_dir.clear();
  run.workloads.clear();
  WorkloadSpec spec = parse_workload_spec(model_);
  for (const GridKey& key : ordered) {
    spec.params["seq"] = std::to_string(key.seq);
    spec.params["past"] = std::to_string(key.past);
    spec.params["batch"] = std::to_string(key.batch);
    spec.params["layers"] = "1";
    if (key.past == 0) spec.params.erase("past");
    run.workloads.push_back(format_workload_spec(spec));
  }
  const RunReport report = execute_run(run);
  npu_.assign(ordered.size(), {});
  for (size_t w = 0; w < report.workloads.size(); ++w) {
    const WorkloadSummary& summary = report.workloads[w];
    if (summary.gpu) gpu_.resize(ordered.size());
    const std::vector<Piece> pieces = classify_rows(report.layers, summary.first_layer, summary.end_layer);
    for (size_t row = summary.first_layer; row < summary.end_layer; ++row) {
      const auto& r = report.layers[row];
      const Piece which = pieces[row - summary.first_layer];
      add(piece(npu_[w], which), r["time_s"].get<double>(), r["energy_j"].get<double>());
      if (!summary.gpu) continue;
      const GpuOpEstimate& g = summary.gpu->ops[row - summary.first_layer];
      add(piece(gpu_[w], which), g.time_s, g.energy_j);
    }
  }
}

struct Grids {
  std::vector<uint64_t> tokens, query, past, seqs;  // query x past: the surface for chunked prefills
  std::vector<uint64_t> prefill_query;             // the fine curve for p = 0
  std::vector<uint64_t> decode_batch, decode_past;  // batched decodes (q = 1)
  uint64_t stair_bottom = 0, stair_top = 0;           // one stair, sampled at both ends for its slope
};

LlmStepCostTable make_table(const PieceRun& run, const Grids& g, uint32_t layers, bool gpu) {
  const auto costs = [&](uint64_t seq, uint64_t past, uint64_t batch) -> const PieceCosts& {
    return gpu ? run.gpu(seq, past, batch) : run.npu(seq, past, batch);
  };
  LlmStepCostTable table;
  table.layers = layers;
  for (uint64_t n : g.tokens) {
    table.embed_by_tokens.x.push_back(static_cast<double>(n));
    table.embed_by_tokens.y.push_back(costs(n, 0, 1).embed);
    table.dense_layer_by_tokens.x.push_back(static_cast<double>(n));
    table.dense_layer_by_tokens.y.push_back(costs(n, 0, 1).dense);
  }
  for (uint64_t s : g.seqs) {
    table.head_by_seqs.x.push_back(static_cast<double>(s));
    table.head_by_seqs.y.push_back(costs(1, 0, s).head);
  }
  for (uint64_t q : g.prefill_query) {
    table.attention_prefill_per_token.x.push_back(static_cast<double>(q));
    const StepCost a = costs(q, 0, 1).attention;
    table.attention_prefill_per_token.y.push_back({a.time_s / static_cast<double>(q), a.energy_j / static_cast<double>(q)});
  }
  auto& decode = table.attention_decode_by_batch_past;
  for (uint64_t b : g.decode_batch) decode.x.push_back(static_cast<double>(b));
  for (uint64_t p : g.decode_past) decode.y.push_back(static_cast<double>(p));
  for (uint64_t b : g.decode_batch)
    for (uint64_t p : g.decode_past) {
      decode.v.push_back(costs(1, p, b).attention);
    }
  // The slope inside one stair (its first key to its top), per batch size.
  if (g.stair_bottom > 0 && g.stair_top > g.stair_bottom) {
    for (uint64_t b : g.decode_batch) {
      const double keys = static_cast<double>(g.stair_top - g.stair_bottom);
      const double rise = costs(1, g.stair_top, b).attention.time_s - costs(1, g.stair_bottom, b).attention.time_s;
      table.decode_slope_within_stair_by_batch.x.push_back(static_cast<double>(b));
      table.decode_slope_within_stair_by_batch.y.push_back({rise / keys, 0.0});
    }
  }
  auto& surface = table.attention_per_query_token;
  for (uint64_t q : g.query) surface.x.push_back(static_cast<double>(q));
  for (uint64_t p : g.past) surface.y.push_back(static_cast<double>(p));
  for (uint64_t q : g.query)
    for (uint64_t p : g.past) {
      const StepCost a = costs(q, p, 1).attention;
      surface.v.push_back({a.time_s / static_cast<double>(q), a.energy_j / static_cast<double>(q)});
    }
  return table;
}

// A random step: D decodes whose KV lengths take up to kValidationPastGroups distinct values (so that the
// per-sequence decode cost can be simulated exactly: one uniform batch of D per distinct length), plus
// a prefill (or, under sarathi, a chunk over a cache) every other step.
constexpr uint64_t kValidationPastGroups = 3;

StepShape random_step(std::mt19937_64& rng, const StepGridLimits& limits) {
  // An empty range (--max-num-seqs 1, or a token budget the decodes fill) gives its low end, not a % 0.
  const auto uniform = [&](uint64_t low, uint64_t high) { return high <= low ? low : low + rng() % (high - low + 1); };
  StepShape shape;
  const uint64_t decodes = uniform(1, std::min<uint64_t>(limits.max_seqs, limits.max_tokens) - 1);
  std::vector<uint64_t> pasts(uniform(1, kValidationPastGroups));
  for (uint64_t& past : pasts) past = uniform(1, limits.max_context - 1);
  for (uint64_t i = 0; i < decodes; ++i) shape.seqs.push_back({1, pasts[rng() % pasts.size()]});
  if (rng() % 2 == 0) {
    const uint64_t q = uniform(2, std::max<uint64_t>(3, std::min({limits.max_query, limits.max_tokens, limits.model_context}) - decodes));
    const uint64_t past = limits.chunked && limits.max_context > q ? uniform(0, limits.max_context - q) : 0;
    shape.seqs.push_back({q, past});
  }
  return shape;
}

// A step's decodes: how many (the batch D), and how many sit at each distinct KV length.
struct DecodeGroups {
  uint64_t batch = 0;
  std::map<uint64_t, uint64_t> count_by_past;
};

DecodeGroups decode_groups(const StepShape& shape) {
  DecodeGroups groups;
  for (const SeqWork& s : shape.seqs) {
    if (s.query_tokens != 1 || s.past_tokens == 0) continue;
    ++groups.batch;
    ++groups.count_by_past[s.past_tokens];
  }
  return groups;
}

StepCost direct_cost(const PieceRun& run, const StepShape& shape, uint32_t layers, bool gpu) {
  const auto costs = [&](uint64_t seq, uint64_t past, uint64_t batch) -> const PieceCosts& {
    return gpu ? run.gpu(seq, past, batch) : run.npu(seq, past, batch);
  };
  const uint64_t n = shape.total_tokens();
  StepCost per_layer = costs(n, 0, 1).dense;
  for (const SeqWork& s : shape.seqs) {
    if (s.query_tokens == 1 && s.past_tokens > 0) continue;
    add(per_layer, costs(s.query_tokens, s.past_tokens, 1).attention.time_s,
        costs(s.query_tokens, s.past_tokens, 1).attention.energy_j);
  }
  // Each decode's share of a uniform batch of D at its own KV length, simulated at that exact shape.
  const DecodeGroups groups = decode_groups(shape);
  for (const auto& [past, count] : groups.count_by_past) {
    const StepCost& batch = costs(1, past, groups.batch).attention;
    const double share = static_cast<double>(count) / static_cast<double>(groups.batch);
    add(per_layer, share * batch.time_s, share * batch.energy_j);
  }
  const StepCost embed = costs(n, 0, 1).embed;
  const StepCost head = costs(1, 0, shape.seqs.size()).head;
  return {embed.time_s + layers * per_layer.time_s + head.time_s,
          embed.energy_j + layers * per_layer.energy_j + head.energy_j};
}

StepValidation validate(const PieceRun& run, const LlmStepCostTable& table, const std::vector<StepShape>& steps,
                        uint32_t layers, bool gpu) {
  StepValidation v;
  for (const StepShape& step : steps) {
    const StepCost direct = direct_cost(run, step, layers, gpu);
    add_step_error(v, table.cost(step), direct, steps.size());
  }
  v.steps = static_cast<uint32_t>(steps.size());
  return v;
}

// KV lengths at stair tops p = granule * m - 1 (keys p + 1 a whole number of granules): every m up to 16,
// then 1.0625x steps, up to the longest sequence (within the model's context).
std::vector<uint64_t> decode_past_grid(const StepGridLimits& limits) {
  const uint64_t granule = std::max<uint64_t>(1, limits.decode_keys_granule);
  const uint64_t last_m = std::max<uint64_t>(1, (limits.max_context + granule - 1) / granule);
  std::vector<uint64_t> stairs;
  for (uint64_t m = 1; m < last_m; m = m < 16 ? m + 1 : std::max(m + 1, m * 17 / 16)) stairs.push_back(m);
  stairs.push_back(last_m);
  std::vector<uint64_t> pasts;
  for (uint64_t m : stairs) {
    const uint64_t past = std::min(granule * m - 1, limits.model_context - 1);
    if (past > 0 && (pasts.empty() || past > pasts.back())) pasts.push_back(past);
  }
  return pasts;
}

// Decode attention is affine in the batch (measured: RNGD splits it by heads), so 1.5x steps suffice;
// in the KV length it is a staircase of the array's fold granule (see LlmStepCostTable), so its grid
// sits on the granule's stair tops, and one stair (the 16th, or the last) is sampled at both ends for
// the slope within a stair.
void set_decode_grids(Grids& g, const StepGridLimits& limits) {
  g.decode_batch = step_grid(1, limits.max_seqs, 24);
  g.decode_past = decode_past_grid(limits);
  const uint64_t granule = std::max<uint64_t>(1, limits.decode_keys_granule);
  const uint64_t stair = std::min<uint64_t>(16, std::max<uint64_t>(1, (limits.max_context + granule - 1) / granule));
  if (granule > 1 && stair > 1 && granule * stair <= limits.model_context) {
    g.stair_bottom = granule * (stair - 1);
    g.stair_top = granule * stair - 1;
  }
}

}  // namespace

std::vector<uint64_t> step_grid(uint64_t first, uint64_t max, uint64_t ratio_sixteenths) {
  std::vector<uint64_t> grid;
  for (uint64_t x = first; x < max;) {
    grid.push_back(x);
    x = x < 16 ? std::max<uint64_t>(x * 2, 1) : x * ratio_sixteenths / 16;
  }
  grid.push_back(max);
  return grid;
}

StepCostTables build_step_cost_tables(const RunOptions& base, const std::string& model, uint32_t layers,
                                      const StepGridLimits& limits) {
  const auto start = std::chrono::steady_clock::now();
  const uint64_t max_query = std::min(limits.max_query, limits.max_tokens);
  Grids g;
  // One sequence of N tokens measures dense(N): past the model's context the curve is extended linearly.
  g.tokens = step_grid(1, std::min(limits.max_tokens, limits.model_context), 17);
  g.seqs = step_grid(1, limits.max_seqs, 20);
  g.prefill_query = step_grid(1, max_query, 17);
  set_decode_grids(g, limits);
  // Chunked prefills (q > 1 over p > 0) only happen under sarathi; otherwise the surface is its corners.
  g.query = limits.chunked ? step_grid(1, max_query, 24) : std::vector<uint64_t>{1, std::max<uint64_t>(max_query, 2)};
  g.past = limits.chunked ? step_grid(0, limits.max_context, 24) : std::vector<uint64_t>{0, limits.max_context};
  PieceRun run(model, limits.model_context);
  for (uint64_t n : g.tokens) run.want(n, 0, 1);
  for (uint64_t q : g.prefill_query) run.want(q, 0, 1);
  for (uint64_t s : g.seqs) run.want(1, 0, s);
  for (uint64_t b : g.decode_batch) {
    for (uint64_t p : g.decode_past) run.want(1, p, b);
    if (g.stair_bottom > 0) run.want(1, g.stair_bottom, b);
    if (g.stair_top > 0) run.want(1, g.stair_top, b);
  }
  for (uint64_t q : g.query)
    for (uint64_t p : g.past) run.want(q, p, 1);
  const size_t grid_workloads = run.size();
  std::mt19937_64 rng(limits.seed);
  std::vector<StepShape> steps;
  for (uint32_t k = 0; k < limits.validation_steps; ++k) {
    steps.push_back(random_step(rng, limits));
    run.want(steps.back().total_tokens(), 0, 1);
    run.want(1, 0, steps.back().seqs.size());
    for (const SeqWork& s : steps.back().seqs)
      if (s.query_tokens > 1 || s.past_tokens == 0) run.want(s.query_tokens, s.past_tokens, 1);
    const DecodeGroups groups = decode_groups(steps.back());
    for (const auto& [past, count] : groups.count_by_past) run.want(1, past, groups.batch);
  }
  run.simulate(base);
  StepCostTables out;
  out.npu = make_table(run, g, layers, false);
  out.npu.decode_keys_granule = std::max<uint64_t>(1, limits.decode_keys_granule);
  out.npu_validation = validate(run, out.npu, steps, layers, false);
  if (run.has_gpu()) {
    out.gpu = make_table(run, g, layers, true);
    out.gpu->decode_keys_granule = out.npu.decode_keys_granule;
    out.gpu_validation = validate(run, *out.gpu, steps, layers, true);
  }
  out.validation_steps = steps;
  out.limits = limits;
  out.grid_workloads = grid_workloads;
  out.simulation_wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

void add_step_error(StepValidation& v, const StepCost& used, const StepCost& exact, size_t step_count) {
  const double time_error = std::abs(used.time_s - exact.time_s) / exact.time_s;
  v.max_time_error = std::max(v.max_time_error, time_error);
  v.max_energy_error =
      std::max(v.max_energy_error, std::abs(used.energy_j - exact.energy_j) / exact.energy_j);
  v.mean_time_error += time_error / static_cast<double>(step_count);
}

}  // namespace npusim
