// `npusim serve`: traffic, model facts and KV capacities, step-cost tables from one simulation, the
// serving runs on NPU and GPU, the optional capacity search, and the outputs (written whole or not at all).
#include "sim/serve/serve_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <numeric>

#include "analysis/multichip/replica_serving.h"
#include "analysis/power/area_model.h"
#include "analysis/serving/capacity_search.h"
#include "arch/spec/input_error.h"
#include "sim/io/atomic_file.h"
#include "sim/io/config_loader.h"
#include "sim/io/finite_numbers.h"
#include "sim/io/result_set.h"
#include "sim/run/run_job.h"
#include "sim/serve/gpu_step_costs.h"
#include "sim/serve/serve_plan.h"
#include "sim/serve/serve_report.h"
#include "sim/serve/serve_setup.h"
#include "sim/serve/step_cost_builder.h"
#include "sim/serve/stream_run.h"
#include "workloads/importers/trace_json.h"
#include "workloads/traffic/op_trace_requests.h"
#include "workloads/traffic/request_trace.h"

namespace npusim {
namespace {

struct Traffic {
  std::vector<ServeRequest> requests;
  std::string source;  // trace file or "<cli>"
  uint64_t dropped = 0;
};

Traffic load_traffic(const ServeOptions& options, const TrafficFile* streams) {
  Traffic t;
  if (streams != nullptr) {
    t.requests = streams->requests;
    t.source = options.traffic_file;
  } else if (!options.traffic_file.empty()) {
    const std::string& file = options.traffic_file;
    const bool op_trace = file.size() > 5 && file.compare(file.size() - 5, 5, ".json") == 0;
    t.requests = op_trace ? serve_requests_from_op_trace(load_trace_json(file, {}).requests, file)
                          : read_request_trace(file);
    t.source = options.traffic_file;
  } else {
    t.requests = generate_traffic(options.traffic);
    t.source = "<cli>";
  }
  return t;
}

// Everything one device needs to serve: its cost table, KV capacity and scheduler limits.
struct Device {
  std::string label, name;
  const StepCostModel* costs = nullptr;
  KvCapacity kv;
  SchedulerConfig scheduler;
  StepValidation validation;  // NPU: the table's error; GPU: exact (steps = 0)
  uint32_t replicas = 1;      // data-parallel copies sharing the requests
};

nlohmann::ordered_json validation_json(const StepValidation& v, const char* against) {
  return {{"steps", v.steps},
          {"max_time_error", v.max_time_error},
          {"mean_time_error", v.mean_time_error},
          {"max_energy_error", v.max_energy_error},
          {"against", against}};
}

nlohmann::ordered_json step_cost_json(const Device& d, const StepCostTables& tables) {
  if (d.label == "gpu") {
    return {{"method", "the analytical GPU model of each step's pieces at their exact shapes (memoized): no "
                       "interpolation; cost = embed(N) + layers * (dense(N) + decode attention of the D decodes as one "
                       "batch at their mean KV length + sum attention(q_i, p_i) of prefills) + head(S)"},
            {"validation", validation_json(d.validation, "the same random steps with every decode at its own KV "
                                                          "length (per sequence): the error of the mean KV length")}};
  }
  return {{"method", "one-layer pieces simulated on grids (tokens, sequences; attention by query tokens at no past, "
                     "by decode batch x KV length for decodes, by query x past for chunks) and interpolated piecewise "
                     "linearly; cost = embed(N) + layers * (dense(N) + sum over decodes decode(D, p_i) / D + sum "
                     "attention(q_i, p_i) of prefills) + head(S), each decode at its own KV length"},
          {"grid_workloads", tables.grid_workloads},
          {"grid",
           {{"max_tokens", tables.limits.max_tokens},
            {"max_sequences", tables.limits.max_seqs},
            {"max_context_tokens", tables.limits.max_context}}},
          {"validation", validation_json(d.validation, "random steps (decodes at up to 3 distinct KV lengths, plus a "
                                                        "prefill every other step), their pieces simulated at their "
                                                        "exact shapes in the same run")}};
}

// The GPU model at the decode batch's mean KV length against each decode at its own.
StepValidation gpu_mean_kv_error(const GpuStepCosts& costs, const std::vector<StepShape>& steps) {
  StepValidation v;
  for (const StepShape& step : steps) {
    const StepCost exact = costs.per_sequence_cost(step);
    add_step_error(v, costs.cost(step), exact, steps.size());
  }
  v.steps = static_cast<uint32_t>(steps.size());
  return v;
}

DeviceServing serve_on(const Device& d, const std::vector<ServeRequest>& requests, const SloSpec& slo,
                       const ModelFacts& model, const StepCostTables& tables, FrameScheduler* frames) {
  DeviceServing out;
  out.device = d.label;
  out.name = d.name;
  // Streams beside the requests run on one engine (no plan: serve_command refuses the mix); a plan's
  // dp replicas each take their share of the requests.
  out.run = frames != nullptr ? run_serving(requests, d.scheduler, *d.costs, true, frames)
                              : run_replicated_serving(requests, d.scheduler, *d.costs, d.replicas, true);
  out.metrics = serving_metrics_json(summarize_serving(requests, out.run, slo, d.kv.blocks));
  out.metrics["device"] = d.name;
  out.metrics["kv_cache"] = d.kv.to_json(model);
  out.metrics["step_cost"] = step_cost_json(d, tables);
  return out;
}

// The requests at `rate` per second: regenerated with the same seed, or the trace's arrivals scaled.
std::vector<ServeRequest> at_rate(const ServeOptions& options, const std::vector<ServeRequest>& base, double rate) {
  const double span = base.back().arrival_s - base.front().arrival_s;
  const double trace_rate = span > 0 ? static_cast<double>(base.size() - 1) / span : 1.0;
  const double base_rate = options.traffic_file.empty() ? options.traffic.rate_per_s : trace_rate;
  return scale_arrivals(base, base_rate / rate);
}

nlohmann::ordered_json capacity(const Device& d, const ServeOptions& options, const std::vector<ServeRequest>& base) {
  return find_max_rate(d.scheduler, *d.costs, options.slo, [&](double rate) { return at_rate(options, base, rate); });
}

nlohmann::ordered_json slo_json(const ServeOptions& o) {
  nlohmann::ordered_json slo = nlohmann::ordered_json::object();
  if (o.slo.ttft_p90_s < 1e300) slo["ttft_p90_s"] = o.slo.ttft_p90_s;
  if (o.slo.tpot_p99_s < 1e300) slo["tpot_p99_s"] = o.slo.tpot_p99_s;
  return slo;
}

nlohmann::ordered_json traffic_json(const ServeOptions& o, const Traffic& t) {
  nlohmann::ordered_json j = {{"requests", t.requests.size()}, {"dropped_oversized", t.dropped}};
  if (!o.traffic_file.empty()) {
    j["file"] = o.traffic_file;
  } else {
    j["rate_per_s"] = o.traffic.rate_per_s;
    j["arrival_cv"] = o.traffic.arrival_cv;
    j["input_tokens"] = o.traffic.input_tokens.text;
    j["output_tokens"] = o.traffic.output_tokens.text;
    j["seed"] = o.traffic.seed;
  }
  return j;
}

// One KV block over the host link, one way.
double swap_block_s(const ModelFacts& model, const ServeOptions& options) {
  const double block_bytes = static_cast<double>(model.kv_bytes_per_token * options.scheduler.block_tokens);
  return block_bytes / (options.host_link_gbytes_per_s * 1e9);
}

StepGridLimits grid_limits(const ServeOptions& options, const ModelFacts& model, const NpuConfig& config,
                           const std::vector<ServeRequest>& requests) {
  const SchedulerConfig& limits = options.scheduler;
  StepGridLimits grid;
  // The grid spans the steps this traffic can make, at any rate (--find-max-rate scales the arrivals
  // only): no sequence holds more than its request's tokens, no step more sequences than there are
  // requests, nor more tokens than all requests hold (a preempted request recomputes at most its own).
  uint64_t all_tokens = 0;
  grid.max_context = 1;
  for (const ServeRequest& r : requests) {
    grid.max_context = std::max(grid.max_context, r.input_tokens + r.output_tokens);
    all_tokens += r.input_tokens + r.output_tokens;
  }
  grid.max_context = std::min(grid.max_context, model.context_tokens);
  grid.max_tokens = std::max<uint64_t>(2, std::min<uint64_t>(limits.max_batched_tokens, all_tokens));
  // At least 2 tokens and sequences, as --max-num-seqs and --max-batched-tokens take: each grid keeps two ends.
  grid.max_seqs = static_cast<uint32_t>(
      std::max<uint64_t>(2, std::min<uint64_t>(limits.max_num_seqs, requests.size())));
  grid.model_context = model.context_tokens;
  grid.chunked = limits.policy == SchedulerPolicy::kSarathi;
  grid.max_query = std::min(grid.chunked ? limits.prefill_chunk : limits.max_batched_tokens, grid.max_context);
  grid.validation_steps = options.validation_steps;
  grid.decode_keys_granule = std::gcd<uint64_t, uint64_t>(config.array.rows, config.array.cols);
  grid.seed = options.traffic.seed;
  return grid;
}

nlohmann::ordered_json result_header(const ServeOptions& options, const std::string& dtype, const Traffic& traffic) {
  const SchedulerConfig& limits = options.scheduler;
  return {{"schema_version", 1},
          {"command", "serve"},
          {"npu", options.npu},
          {"model", options.model},
          {"dtype", dtype},
          {"scheduler",
           {{"policy", scheduler_policy_name(limits.policy)},
            {"max_num_seqs", limits.max_num_seqs},
            {"max_batched_tokens", limits.max_batched_tokens},
            {"prefill_chunk", limits.prefill_chunk},
            {"block_tokens", limits.block_tokens},
            {"preemption", preemption_mode_name(limits.preemption)},
            {"host_link_gbytes_per_s", options.host_link_gbytes_per_s}}},
          {"traffic", traffic_json(options, traffic)},
          {"slo", slo_json(options)}};
}

// Every output is rendered before the first is written, so a failure leaves none half written.
void write_outputs(const ServeOptions& options, const nlohmann::ordered_json& result,
                   const std::vector<ServeRequest>& requests, const std::vector<DeviceServing>& served) {
  require_finite_numbers(result, "result.json");
  const std::string json = result.dump(2) + "\n";
  const std::string csv = options.out_dir.empty() ? "" : requests_csv(requests, served);
  const std::string timeline = options.timeline_file.empty() ? "" : serving_timeline_json(requests, served);
  if (!options.out_dir.empty()) {
    write_result_set(options.out_dir, {{"requests.csv", csv}, {"result.json", json}});
  }
  if (!options.timeline_file.empty()) write_file_atomically(options.timeline_file, timeline);
}

// The GPU side: its KV capacity from --gpu-memory-gib, the NPU's scheduler limits; none for --gpu none.
std::optional<Device> gpu_device(const ServeOptions& options, const ModelFacts& model, const Traffic& traffic,
                                 const SchedulerConfig& npu_scheduler) {
  if (options.gpu == "none") return std::nullopt;
  const SchedulerConfig& limits = options.scheduler;
  Device gpu{"gpu", options.gpu, nullptr, {}, npu_scheduler, {}};
  gpu.kv = kv_capacity(model, static_cast<Bytes>(options.gpu_memory_gib * static_cast<double>(1ull << 30)),
                       limits.block_tokens, options.workspace_factor, "<cli>", "--gpu-memory-gib");
  gpu.scheduler.kv_blocks = gpu.kv.blocks;
  check_fits(traffic.requests, gpu.kv, limits, "GPU", traffic.source);
  return gpu;
}

// A plan's step costs: each device's shard costs with the collectives over its system's links (kept in
// the plan), served by the plan's dp replicas.
void use_plan_costs(ServePlan& plan, DType dtype, Device& npu, std::optional<Device>& gpu) {
  attach_plan_links(plan, dtype);
  npu.costs = &plan.npu_costs.emplace(*npu.costs, *plan.npu_links);
  npu.replicas = plan.options.plan.dp;
  if (!gpu) return;
  gpu->costs = &plan.gpu_costs.emplace(*gpu->costs, *plan.gpu_links);
  gpu->replicas = plan.options.plan.dp;
}

// The model's facts; with a plan, one chip's memory (its stage's shard).
ModelFacts model_facts(const ServeOptions& options, const ServePlan* plan, const NpuConfig& config) {
  const std::string npu_dtype(dtype_name(config.array.dtypes.front()));
  ModelFacts model = read_model_facts(options.model, options.dtype, npu_dtype, options.scheduler.max_batched_tokens);
  if (plan) use_stage_memory(model, *plan, options, npu_dtype, config.dram.capacity_bytes);
  return model;
}

RunOptions step_run_base(const ServeOptions& options) {
  RunOptions base;
  base.npu = options.npu;
  base.gpu = "none";  // the GPU side costs each shape exactly (gpu_step_costs.h)
  base.overrides = options.overrides;
  base.dtype = options.dtype;
  return base;
}

// A `.json` traffic file holding `streams` (a stream traffic file, not an op trace), else nothing.
std::optional<TrafficFile> stream_traffic(const ServeOptions& options) {
  const std::string& file = options.traffic_file;
  if (file.size() <= 5 || file.compare(file.size() - 5, 5, ".json") != 0) return std::nullopt;
  const nlohmann::json document = load_json_file(file);
  if (!is_stream_traffic(document)) return std::nullopt;
  return parse_stream_traffic(document, file);
}

// Wall time is a host fact: on the terminal, not in result.json (results are deterministic).
void print_serving_summary(const nlohmann::ordered_json& result, const StepCostTables& tables) {
  std::cout << serving_summary_lines(result)
            << fmt::format("step costs: {} one-layer workloads simulated in {:.1f} s\n", tables.grid_workloads,
                           tables.simulation_wall_s)
            << std::flush;
}

int serve_llm_command(const ServeOptions& given, const TrafficFile* streams) {
  std::optional<ServePlan> plan = resolve_serve_plan(given);
  const ServeOptions options = plan ? shard_serve_options(given, *plan) : given;
  if (options.find_max_rate && !options.slo_given)
    throw InputError("<cli>", "--find-max-rate", "needs --slo ttft_p90_s=X,tpot_p99_s=Y");
  std::string config_file;
  const NpuConfig config = resolve_npu_config(options.npu, options.overrides, &config_file);
  const std::string dtype = options.dtype.empty() ? std::string(dtype_name(config.array.dtypes.front())) : options.dtype;
  Traffic traffic = load_traffic(options, streams);
  if (streams != nullptr && options.find_max_rate)
    throw InputError("<cli>", "--find-max-rate", "needs LLM requests alone (the traffic file has streams)");
  std::unique_ptr<StreamSide> frames;  // streams beside the requests, on the same engine runs
  if (streams != nullptr) frames = std::make_unique<StreamSide>(options, *streams, config, dtype);
  const SchedulerConfig& limits = options.scheduler;
  const ModelFacts model = model_facts(options, plan ? &*plan : nullptr, config);
  traffic.dropped = check_context(traffic.requests, model, options.drop_oversized, traffic.source);

  Device npu{"npu", options.npu, nullptr, {}, limits, {}};
  npu.kv = kv_capacity(model, config.dram.capacity_bytes, limits.block_tokens, options.workspace_factor,
                       config_file, "npu.dram.capacity_bytes");
  npu.scheduler.kv_blocks = npu.kv.blocks;
  npu.scheduler.swap_block_s = swap_block_s(model, options);
  check_fits(traffic.requests, npu.kv, limits, "NPU", traffic.source);
  std::optional<Device> gpu = gpu_device(options, model, traffic, npu.scheduler);
  StepCostTables tables = build_step_cost_tables(step_run_base(options), options.model, model.layers,
                                                 grid_limits(options, model, config, traffic.requests));
  tables.npu.idle_w = resolve_power_model(config).idle_w;  // leaks through the gaps between steps too
  npu.costs = &tables.npu;
  npu.validation = tables.npu_validation;
  std::optional<GpuStepCosts> gpu_costs;
  if (gpu) {
    gpu_costs.emplace(resolve_gpu_baseline(options.gpu, options.overrides).config, options.model, *parse_dtype(dtype),
                      model.layers);
    gpu->costs = &*gpu_costs;
    gpu->validation = gpu_mean_kv_error(*gpu_costs, tables.validation_steps);
  }

  if (plan) use_plan_costs(*plan, *parse_dtype(dtype), npu, gpu);
  nlohmann::ordered_json result = result_header(options, dtype, traffic);
  std::vector<DeviceServing> served{
      serve_on(npu, traffic.requests, options.slo, model, tables, frames ? frames->npu_frames() : nullptr)};
  result["serving"] = served.back().metrics;
  if (gpu) {
    served.push_back(serve_on(*gpu, traffic.requests, options.slo, model, tables,
                              frames ? frames->gpu_frames() : nullptr));
    result["gpu_serving"] = served.back().metrics;
  }
  if (plan) add_plan_results(result, *plan, served, given.model);
  if (frames) frames->report(result, served[0].run, gpu ? &served[1].run : nullptr);
  if (options.find_max_rate) {
    result["find_max_rate"]["npu"] = capacity(npu, options, traffic.requests);
    if (gpu) result["find_max_rate"]["gpu"] = capacity(*gpu, options, traffic.requests);
  }
  if (!options.quiet) print_serving_summary(result, tables);
  write_outputs(options, result, traffic.requests, served);
  return 0;
}

}  // namespace

int serve_command(const ServeOptions& options) {
  const std::optional<TrafficFile> streams = stream_traffic(options);
  if (!streams) return serve_llm_command(options, nullptr);
  if (options.multichip)
    throw InputError("<cli>", "--system", "serves LLM requests alone; this traffic file has streams");
  if (streams->requests.empty()) return stream_serve_command(options, *streams);
  return serve_llm_command(options, &*streams);
}

}  // namespace npusim
