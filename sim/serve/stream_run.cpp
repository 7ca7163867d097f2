#include "sim/serve/stream_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <iostream>
#include <optional>

#include "analysis/power/area_model.h"
#include "arch/spec/input_error.h"
#include "sim/io/finite_numbers.h"
#include "sim/io/result_set.h"
#include "sim/run/run_job.h"
#include "sim/serve/stream_schedule.h"

namespace npusim {
namespace {

struct StreamSides {
  StreamDeviceSetup npu;
  std::optional<StreamDeviceSetup> gpu;
};

StreamSides device_setups(const ServeOptions& o, const NpuConfig& config) {
  const StreamServeOptions& s = o.streams;
  StreamSides sides;
  sides.npu.policy = s.policy == "priority" ? FramePolicy::kPriority : FramePolicy::kEdf;
  sides.npu.partition = s.policy == "partition";
  sides.npu.max_batch = s.frame_batch;
  sides.npu.preemption_cost_s = s.preemption_cost_s;
  sides.npu.idle_w = resolve_power_model(config).idle_w;
  sides.npu.duration_s = s.duration_s;
  sides.npu.seed = o.traffic.seed;
  if (o.gpu != "none") {
    StreamDeviceSetup gpu = sides.npu;
    gpu.gpu = true;
    gpu.partition = false;
    gpu.max_batch = s.gpu_frame_batch;
    gpu.idle_w = resolve_gpu_baseline(o.gpu, o.overrides).config.idle_w;
    sides.gpu = gpu;
  }
  return sides;
}

size_t stream_named(const std::vector<StreamSpec>& streams, const std::string& name) {
  std::string known;
  for (size_t i = 0; i < streams.size(); ++i) {
    if (streams[i].name == name) return i;
    known += (i ? ", " : "") + streams[i].name;
  }
  throw InputError("<cli>", "--find-max-streams",
                   fmt::format("no stream named '{}' (the traffic has: {})", name, known));
}

bool all_deadlines_met(const StreamDeviceRun& run) {
  for (const StreamRecord& r : run.records)
    if (!meets_every_deadline(r)) return false;
  return true;
}

// The largest count of stream `index` with no missed deadline in any stream: doubling, then bisection
// on integers. 0 when even one camera misses. Returns {max_streams, runs}.
nlohmann::ordered_json find_max_streams(const StreamPlan& plan, size_t index, const StreamCostTables& tables,
                                        const StreamDeviceSetup& setup) {
  std::vector<StreamSpec> streams = plan.streams;
  uint32_t runs = 0;
  auto meets = [&](uint32_t count) {
    streams[index].count = count;
    runs += 1;
    return all_deadlines_met(schedule_streams(plan, streams, tables, setup));
  };
  uint32_t good = 0, bad = 1;
  while (bad <= kMaxStreamCount && meets(bad)) {
    good = bad;
    bad = bad >= kMaxStreamCount / 2 ? kMaxStreamCount + 1 : bad * 2;
  }
  while (bad - good > 1) {
    const uint32_t mid = good + (bad - good) / 2;
    (meets(mid) ? good : bad) = mid;
  }
  return {{"max_streams", good}, {"runs", runs}};
}

nlohmann::ordered_json comparison_json(const StreamDeviceRun& npu, const StreamDeviceRun& gpu) {
  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  const auto npu_entries = stream_entries_json(npu, "npu");
  const auto gpu_entries = stream_entries_json(gpu, "gpu");
  for (size_t i = 0; i < npu_entries.size(); ++i) {
    const auto& n = npu_entries[i];
    const auto& g = gpu_entries[i];
    const double n_e = n["energy_per_frame_j"].get<double>(), g_e = g["energy_per_frame_j"].get<double>();
    const double n_p99 = n["latency_s"]["p99"].get<double>();
    rows.push_back(
        {{"name", n["name"]},
         {"latency_p99_ratio_gpu_over_npu", n_p99 > 0 ? g["latency_s"]["p99"].get<double>() / n_p99 : 0.0},
         {"deadline_miss_ratio_npu", n["deadline_miss_ratio"]},
         {"deadline_miss_ratio_gpu", g["deadline_miss_ratio"]},
         {"energy_per_frame_ratio_gpu_over_npu", n_e > 0 ? g_e / n_e : 0.0}});
  }
  return rows;
}

nlohmann::ordered_json model_json(const ServeOptions& o, const StreamPlan& plan,
                                  const StreamCostTables& tables) {
  return {{"policy", o.streams.policy},
          {"duration_s", o.streams.duration_s},
          {"frame_batch", o.streams.frame_batch},
          {"gpu_frame_batch", o.streams.gpu_frame_batch},
          {"preemption_cost_s", o.streams.preemption_cost_s},
          {"chip_cores", plan.chip_cores},
          {"seed", o.traffic.seed},
          {"preemption",
           "at layer boundaries only (the running layer finishes); layers keep their outputs in DRAM, "
           "so a switch moves no extra data; preemption_cost_s is charged per preemption on resume"},
          {"batching",
           "npu: the head frame's unstarted same-stream frames join it in policy order while now + the "
           "batch latency meets every frame's deadline, up to frame_batch; gpu: dynamic batching of "
           "waiting same-stream frames up to gpu_frame_batch, no deadline check"},
          {"drop_rule",
           "a frame that at its dispatch could not meet its deadline even alone is dropped, not run; "
           "dropped and late frames both count as deadline misses"},
          {"gpu_sharing", "MPS-style: one FIFO server across streams, no priorities, no preemption"},
          {"frame_costs",
           {{"simulated_workloads", tables.simulated_workloads},
            {"worker_processes", tables.worker_processes},
            {"method",
             "each distinct (model, batch, core count) simulated once by `npusim run` in a "
             "worker process per (model, core count), batch 1 first; batches between "
             "simulated ones interpolated linearly (grid 1, 2, 3, 4, 6, 8, 12, ...)"}}}};
}

void print_summary(const nlohmann::ordered_json& result, const StreamCostTables& tables) {
  for (const char* key : {"streams", "gpu_streams"}) {
    if (!result.contains(key)) continue;
    for (const auto& s : result[key]) {
      std::cout << fmt::format(
          "{:<4} {:<16} x{:<5} frames {:>9}  p99 {:9.3f} ms  max {:9.3f} ms  miss {:.4f}  "
          "dropped {}{}\n",
          s["device"].get<std::string>(), s["name"].get<std::string>(), s["count"].get<uint32_t>(),
          s["frames"].get<uint64_t>(), 1e3 * s["latency_s"]["p99"].get<double>(),
          1e3 * s["latency_s"]["max"].get<double>(), s["deadline_miss_ratio"].get<double>(),
          s["dropped_frames"].get<uint64_t>(),
          s.contains("max_streams") ? fmt::format("  max_streams {}", s["max_streams"].get<uint32_t>()) : "");
    }
  }
  for (const auto& [device, d] : result["stream_devices"].items())
    std::cout << fmt::format("{}: utilisation {:.3f}, {:.2f} W, {:.1f} frames/J\n", device,
                             d["utilization"].get<double>(), d["average_power_w"].get<double>(),
                             d["frames_per_j"].get<double>());
  std::cout << fmt::format("frame costs: {} workloads simulated in {} worker processes in {:.1f} s\n",
                           tables.simulated_workloads, tables.worker_processes, tables.wall_s);
}

double iterations_busy_s(const ServingRun& run) {
  double busy = 0.0;
  for (const IterationRecord& it : run.iterations) busy += it.time_s;
  return busy;
}

StreamDeviceRun mixed_device_run(const StreamPlan& plan, const FrameScheduler& frames, const ServingRun& run,
                                 const StreamDeviceSetup& setup) {
  StreamDeviceRun d;
  d.streams = plan.streams;
  d.records = frames.records();
  d.cores = setup.gpu ? std::vector<uint32_t>(plan.streams.size(), 0) : plan.cores;
  d.span_s = std::max(run.duration_s, setup.duration_s);
  d.busy_s = frames.busy_s() + iterations_busy_s(run);
  d.energy_j =
      frames.energy_j() + run.busy_energy_j + run.idle_energy_j + setup.idle_w * (d.span_s - run.duration_s);
  return d;
}

}  // namespace

struct StreamSide::State {
  StreamPlan plan;
  StreamCostTables tables;
  StreamSides sides;
  std::string npu, gpu, policy;
  nlohmann::ordered_json model;
  std::optional<FrameScheduler> npu_frames, gpu_frames;
};

StreamSide::StreamSide(const ServeOptions& o, const TrafficFile& traffic, const NpuConfig& config,
                       const std::string& dtype)
    : state_(std::make_unique<State>()) {
  if (o.streams.policy == "partition")
    throw InputError("<cli>", "--policy",
                     "partition serves streams alone; beside LLM requests use priority or edf");
  if (!o.streams.find_max_streams.empty())
    throw InputError("<cli>", "--find-max-streams", "needs a traffic file of streams alone (no requests)");
  State& s = *state_;
  s.plan = plan_streams(traffic.streams, o.traffic_file, o.streams, config.cores, dtype);
  s.plan.costs.npu = o.npu;
  s.plan.costs.overrides = o.overrides;
  s.plan.costs.dtype = o.dtype;
  s.plan.costs.gpu = o.gpu;
  s.sides = device_setups(o, config);
  s.tables = build_stream_cost_tables(s.plan.costs);
  s.npu = o.npu;
  s.gpu = o.gpu;
  s.policy = o.streams.policy;
  s.model = model_json(o, s.plan, s.tables);
  s.npu_frames.emplace(s.plan.streams, s.plan.stage_models, s.tables.npu_by_cores.at(config.cores),
                       frame_scheduler_config(s.sides.npu));
  if (s.sides.gpu)
    s.gpu_frames.emplace(s.plan.streams, s.plan.stage_models, s.tables.gpu,
                         frame_scheduler_config(*s.sides.gpu));
}

StreamSide::~StreamSide() = default;

FrameScheduler* StreamSide::npu_frames() { return &*state_->npu_frames; }
FrameScheduler* StreamSide::gpu_frames() { return state_->gpu_frames ? &*state_->gpu_frames : nullptr; }

void StreamSide::report(nlohmann::ordered_json& result, const ServingRun& npu_run,
                        const ServingRun* gpu_run) const {
  const State& s = *state_;
  result["stream_model"] = s.model;
  const StreamDeviceRun npu = mixed_device_run(s.plan, *s.npu_frames, npu_run, s.sides.npu);
  result["streams"] = stream_entries_json(npu, "npu");
  result["stream_devices"]["npu"] = stream_device_json(npu, s.npu, s.policy);
  if (gpu_run == nullptr || !s.gpu_frames) return;
  const StreamDeviceRun gpu = mixed_device_run(s.plan, *s.gpu_frames, *gpu_run, *s.sides.gpu);
  result["gpu_streams"] = stream_entries_json(gpu, "gpu");
  result["stream_devices"]["gpu"] = stream_device_json(gpu, s.gpu, "mps-fifo");
  result["streams_comparison"] = comparison_json(npu, gpu);
}

int stream_serve_command(const ServeOptions& o, const TrafficFile& traffic) {
  if (o.find_max_rate)
    throw InputError("<cli>", "--find-max-rate", "is for LLM traffic; streams use --find-max-streams");
  std::string config_file;
  const NpuConfig config = resolve_npu_config(o.npu, o.overrides, &config_file);
  const std::string dtype = o.dtype.empty() ? std::string(dtype_name(config.array.dtypes.front())) : o.dtype;
  if (!parse_dtype(dtype))
    throw InputError("<cli>", "--dtype", "'" + dtype + "' is not one of: " + known_dtype_names());
  StreamPlan plan = plan_streams(traffic.streams, o.traffic_file, o.streams, config.cores, dtype);
  const size_t target =
      o.streams.find_max_streams.empty() ? 0 : stream_named(plan.streams, o.streams.find_max_streams);
  plan.costs.npu = o.npu;
  plan.costs.overrides = o.overrides;
  plan.costs.dtype = o.dtype;
  plan.costs.gpu = o.gpu;
  const StreamSides sides = device_setups(o, config);
  const StreamCostTables tables = build_stream_cost_tables(plan.costs);

  nlohmann::ordered_json result = {
      {"schema_version", 1},
      {"command", "serve"},
      {"npu", o.npu},
      {"gpu", o.gpu},
      {"dtype", dtype},
      {"traffic", {{"file", o.traffic_file}, {"streams", plan.streams.size()}, {"requests", 0}}},
      {"stream_model", model_json(o, plan, tables)}};
  const StreamDeviceRun npu = schedule_streams(plan, plan.streams, tables, sides.npu);
  result["streams"] = stream_entries_json(npu, "npu");
  result["stream_devices"]["npu"] = stream_device_json(npu, o.npu, o.streams.policy);
  if (sides.gpu) {
    const StreamDeviceRun gpu = schedule_streams(plan, plan.streams, tables, *sides.gpu);
    result["gpu_streams"] = stream_entries_json(gpu, "gpu");
    result["stream_devices"]["gpu"] = stream_device_json(gpu, o.gpu, "mps-fifo");
    result["streams_comparison"] = comparison_json(npu, gpu);
  }
  if (!o.streams.find_max_streams.empty()) {
    const auto npu_max = find_max_streams(plan, target, tables, sides.npu);
    result["streams"][target]["max_streams"] = npu_max["max_streams"];
    result["find_max_streams"] = {
        {"stream", o.streams.find_max_streams},
        {"criterion", "no missed deadline (late or dropped) in any stream over duration_s"},
        {"npu", npu_max}};
    if (sides.gpu) {
      const auto gpu_max = find_max_streams(plan, target, tables, *sides.gpu);
      result["gpu_streams"][target]["max_streams"] = gpu_max["max_streams"];
      result["find_max_streams"]["gpu"] = gpu_max;
    }
  }
  require_finite_numbers(result, "result.json");
  if (!o.quiet) print_summary(result, tables);
  if (!o.out_dir.empty()) write_result_set(o.out_dir, {{"result.json", result.dump(2) + "\n"}});
  return 0;
}

}  // namespace npusim
