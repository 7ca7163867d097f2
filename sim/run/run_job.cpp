#include "sim/run/run_job.h"

#include <sys/resource.h>

#include <chrono>
#include <iostream>
#include <exception>
#include <memory>
#include <stdexcept>
#include <nlohmann/json.hpp>

#include "analysis/gpu/gpu_config.h"
#include "analysis/power/dvfs.h"
#include "arch/npu_simulation.h"
#include "sim/io/atomic_file.h"
#include "sim/run/scalesim_report_job.h"
#include "sim/io/config_loader.h"
#include "arch/spec/input_error.h"
#include "arch/spec/npu_config_parse.h"
#include "sim/report/timeline_writer.h"
#include "sim/run/workload_loader.h"
#include "workloads/mapper/mapper.h"

namespace npusim {
namespace {

using Clock = std::chrono::steady_clock;

double elapsed_s(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// The power model and the energy table at the nominal clock; errors name the config's file.
void resolve_power_and_energy(RunReport& report) {
  const NpuConfig& config = report.config;
  try {
    report.power = resolve_power_model(config);
    report.energy = resolve_energy_table(config.energy, config.sram, config.dram.kind, report.power.idle_w);
  } catch (const InputError& error) {
    throw InputError(report.npu_source, error.where(), error.message());
  }
  report.operating = OperatingPoint{config.clock_mhz, report.power.voltage_v, 0.0, false, true};
}

// The run's average power at the nominal clock, split by how each part follows the DVFS law.
PowerSplit nominal_power_split(const nlohmann::ordered_json& totals) {
  const double time_s = totals["time_s"].get<double>();
  if (!(time_s > 0.0)) return {};
  const auto watts = [&](const char* key) { return totals[key].get<double>() / time_s; };
  return {watts("mac_energy_j") + watts("sram_energy_j") + watts("vector_energy_j") + watts("noc_energy_j") +
              watts("dma_energy_j"),
          watts("dram_energy_j"), watts("leakage_energy_j")};
}

// npu.power.cap_w: when the run at clock_mhz averages above the cap, the clock and voltage drop along the
// DVFS law until it fits; the energy table moves to the new voltage. Returns true when the rows must be
// priced again.
bool apply_power_cap(RunReport& report, const nlohmann::ordered_json& nominal_totals) {
  const PowerConfig& power = report.config.power;
  const PowerSplit nominal = nominal_power_split(nominal_totals);
  report.operating.uncapped_average_power_w = nominal.total_w();
  if (!power.cap_w) return false;
  const DvfsLaw law{report.config.clock_mhz, report.power.voltage_v, power.dvfs_min_clock_fraction,
                    power.dvfs_min_voltage_fraction};
  const CappedPoint point = dvfs_capped_point(law, nominal, *power.cap_w);
  report.operating.cap_met = point.cap_met;
  if (point.clock_mhz >= report.config.clock_mhz) return false;
  report.operating.clock_mhz = point.clock_mhz;
  report.operating.voltage_v = point.voltage_v;
  report.operating.capped = true;
  report.energy = energy_table_at_voltage(report.energy, point.voltage_v / report.power.voltage_v);
  return true;
}

std::vector<LayerProgram> map_workload_naming_config(const Workload& workload, const NpuConfig& config,
                                                     const std::string& config_file, LoweringCache& cache) {
  try {
    return map_workload(workload, config, &cache);
  } catch (const InputError& error) {
    if (error.file() != "<npu>") throw;
    throw InputError(config_file, error.where(), error.message() + " (workload " + workload.name + ")");
  }
}

struct HostStats {
  double load_s = 0, map_s = 0, simulate_s = 0, report_s = 0;
  uint64_t commands = 0;
};

void write_host_stats(const std::string& path, const HostStats& host, const RunReport& report) {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  nlohmann::ordered_json json;
  json["load_s"] = host.load_s;
  json["map_s"] = host.map_s;
  json["simulate_s"] = host.simulate_s;
  json["report_s"] = host.report_s;
  json["commands"] = host.commands;
  json["simulated_cycles"] = report.totals["cycles"];
  json["peak_rss_bytes"] = static_cast<uint64_t>(usage.ru_maxrss) * 1024;
  write_file_atomically(path, json.dump(2) + "\n");
}

// The timeline's layer marks: when each layer ran and its average power (the rows' energy / time).
std::vector<TimelineLayer> timeline_layers(const RunReport& report, const NpuRunStats& stats) {
  std::vector<TimelineLayer> layers;
  for (size_t i = 0; i < report.layers.size(); ++i) {
    layers.push_back({report.layers[i]["name"].get<std::string>(), stats.layers[i].start_cycle,
                      stats.layers[i].end_cycle, report.layers[i]["power_w"].get<double>()});
  }
  return layers;
}

// The requested workloads (or the default ones), their importer warnings on stderr.
std::vector<Workload> load_workloads(const RunOptions& options, DType default_dtype) {
  std::vector<Workload> workloads;
  for (const auto& spec : options.workloads.empty() ? default_workloads() : options.workloads) {
    WorkloadRequest request{spec, options.batch, std::nullopt, options.allow_unsupported, options.seq_dist};
    workloads.push_back(load_workload(request, default_dtype));
    for (const auto& warning : workloads.back().warnings) std::cerr << "npusim: warning: " << warning << "\n";
  }
  return workloads;
}

// One report row per simulated layer and one summary per workload (its rows, batch, dtype, GPU run).
void add_layer_rows(const std::vector<Workload>& workloads,
                    const std::vector<std::optional<GpuRunEstimate>>& gpu_runs,
                    const std::vector<LayerProgram>& programs, const NpuRunStats& stats, DType default_dtype,
                    RunReport& report) {
  size_t layer = 0;
  for (size_t w = 0; w < workloads.size(); ++w) {
    const Workload& workload = workloads[w];
    WorkloadSummary summary{workload.name, workload.source, 1, default_dtype, layer, layer, gpu_runs[w],
                            workload.warnings, workload.notes};
    for (size_t i = 0; i < workload.ops.size(); ++i, ++layer) {
      const Operator& op = workload.ops[i];
      summary.batch = op.batch;
      summary.dtype = op.dtype;
      const GpuOpEstimate* gpu = summary.gpu ? &summary.gpu->ops[i] : nullptr;
      report.layers.push_back(layer_row(operating_config(report), report.energy, workload.name, i, op,
                                        programs[layer], stats.layers[layer], gpu));
    }
    summary.end_layer = layer;
    report.workloads.push_back(summary);
  }
}

// Maps each workload when the simulation reaches its first layer and drops each layer's command streams
// once it has run, so memory holds about one workload's streams (plus the lowering cache's bounded
// copies) however many workloads (an LLM decode with every step simulated is hundreds). `programs` gets
// one entry per layer; the mapping time and command count go to `host`. The results are those of
// mapping everything first: the mapper is a pure function of the workload and the config. A mapping
// error is kept in `failure`, not thrown: nothing is thrown across the simulation kernel's coroutines;
// the layers left unmapped run empty and the caller rethrows it once the kernel has returned.
LayerFeed mapping_feed(const std::vector<Workload>& workloads, const RunReport& report,
                       std::vector<LayerProgram>& programs, HostStats& host, std::exception_ptr& failure) {
  auto first_layers = std::make_shared<std::vector<size_t>>();
  size_t layers = 0;
  for (const auto& workload : workloads) {
    first_layers->push_back(layers);
    layers += workload.ops.size();
  }
  programs.assign(layers, LayerProgram{});
  auto next = std::make_shared<size_t>(0);
  // The run's one config: operators shared by its workloads are lowered once.
  auto cache = std::make_shared<LoweringCache>();
  const auto map_next = [&workloads, &report, &programs, &host, first_layers, next, cache]() {
    const auto start = Clock::now();
    const Workload& workload = workloads[*next];
    auto mapped = map_workload_naming_config(workload, report.config, report.npu_source, *cache);
    if (mapped.size() != workload.ops.size())
      throw std::logic_error("mapper: one program per operator expected for " + workload.name);
    const size_t first = (*first_layers)[*next];
    for (size_t k = 0; k < mapped.size(); ++k) {
      host.commands += mapped[k].total_commands();
      programs[first + k] = std::move(mapped[k]);
    }
    host.map_s += elapsed_s(start);
  };
  const auto prepare = [&workloads, &failure, first_layers, next, map_next](size_t layer) {
    for (; !failure && *next < workloads.size() && (*first_layers)[*next] == layer; ++*next) {
      try {
        map_next();
      } catch (...) {
        failure = std::current_exception();
      }
    }
  };
  return {prepare, [&programs](size_t layer) { release_commands(programs[layer]); }};
}

// `timeline_json` (when not null and options.timeline_file is set) receives the rendered timeline.
RunReport execute_run_timed(const RunOptions& options, HostStats& host, std::string* timeline_json = nullptr) {
  auto phase = Clock::now();
  RunReport report;
  report.config = resolve_npu_config(options.npu, options.overrides, &report.npu_source);
  resolve_power_and_energy(report);
  if (options.gpu != "none") report.gpu = resolve_gpu_baseline(options.gpu, options.overrides);
  const DType default_dtype = resolve_dtype(options, report.config);
  const std::vector<Workload> workloads = load_workloads(options, default_dtype);
  host.load_s = elapsed_s(phase);
  // The GPU estimates come before the simulation so bad GPU input fails before any time is spent.
  std::vector<std::optional<GpuRunEstimate>> gpu_runs;
  for (const auto& workload : workloads) {
    gpu_runs.push_back(report.gpu ? std::optional(estimate_gpu_workload(workload, report.gpu->config))
                                  : std::nullopt);
  }

  phase = Clock::now();
  std::vector<LayerProgram> programs;
  std::exception_ptr mapping_failure;
  const LayerFeed feed = mapping_feed(workloads, report, programs, host, mapping_failure);
  std::unique_ptr<SpanRecorder> recorder;
  if (timeline_json != nullptr && !options.timeline_file.empty())
    recorder = std::make_unique<SpanRecorder>(options.timeline_max_spans);
  ProgressMeter meter(progress_enabled(options.progress));
  SimulationProgress progress;
  if (meter.enabled()) progress = [&meter](size_t done, size_t total) { meter.update(done, total); };
  const NpuRunStats stats = simulate_npu_fed(report.config, programs, feed, recorder.get(), progress);
  if (mapping_failure) std::rethrow_exception(mapping_failure);
  meter.finish();
  report.noc_links = stats.noc_links;
  report.core_layers = stats.core_layers;
  report.total_cycles = stats.total_cycles;
  host.simulate_s = elapsed_s(phase) - host.map_s;

  phase = Clock::now();
  add_layer_rows(workloads, gpu_runs, programs, stats, default_dtype, report);
  const uint32_t batch = report.workloads.size() == 1 ? report.workloads.front().batch : 0;
  report.totals = totals_over(report.config, report.layers, 0, report.layers.size(), batch);
  if (apply_power_cap(report, report.totals)) {  // price the same cycles again at the capped point
    report.layers.clear();
    report.workloads.clear();
    add_layer_rows(workloads, gpu_runs, programs, stats, default_dtype, report);
    report.totals = totals_over(operating_config(report), report.layers, 0, report.layers.size(), batch);
  }
  if (recorder) {
    recorder->finish();
    *timeline_json = timeline_to_json(*recorder, timeline_layers(report, stats), report.operating.clock_mhz);
  }
  host.report_s = elapsed_s(phase);
  return report;
}

}  // namespace

std::vector<std::string> default_workloads() { return {"resnet50", "bert-base"}; }

DType dtype_option(const std::string& text) {
  const auto dtype = parse_dtype(text);
  if (!dtype) throw InputError("<cli>", "--dtype", "'" + text + "' is not one of: " + known_dtype_names());
  return *dtype;
}

DType resolve_dtype(const RunOptions& options, const NpuConfig& config) {
  return options.dtype.empty() ? config.array.dtypes.front() : dtype_option(options.dtype);
}

RunReport execute_run(const RunOptions& options) {
  HostStats host;
  return execute_run_timed(options, host);
}

int run_command(const RunOptions& options) {
  if (!options.scalesim_reports_dir.empty()) {
    // SCALE-Sim's drop-in: its three reports only, from the memory-system replay (no event simulation).
    write_scalesim_reports(options.scalesim_reports_dir, scalesim_report_files(options));
    return 0;
  }
  HostStats host;
  std::string timeline;
  const RunReport report = execute_run_timed(options, host, &timeline);
  // Side files first: a path that cannot be written fails before any result file exists.
  if (!options.timeline_file.empty()) write_file_atomically(options.timeline_file, timeline);
  if (!options.host_stats_file.empty()) write_host_stats(options.host_stats_file, host, report);
  if (!options.quiet) std::cout << report_to_table(report, options.layers) << std::flush;
  if (!options.out_dir.empty()) write_result_files(report, options.out_dir);
  return 0;
}

}  // namespace npusim
