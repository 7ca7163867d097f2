#include "sim/run/bench_job.h"

#include <fmt/format.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>

#include "arch/spec/input_error.h"
#include "sim/io/atomic_file.h"
#include "sim/io/child_process.h"
#include "sim/io/config_loader.h"

namespace npusim {
namespace {

struct BenchResult {
  std::string npu, workload;
  double wall_s = 1e30;  // best of the repeats
  double simulate_s = 0;
  uint64_t simulated_cycles = 0;
  uint64_t commands = 0;
  uint64_t peak_rss_bytes = 0;
};

// Runs one child; returns its wall seconds and adds its peak RSS to `result`.
double run_child(const std::vector<std::string>& argv, BenchResult& result) {
  const auto start = std::chrono::steady_clock::now();
  rusage usage{};
  const std::optional<int> status = wait_child(start_child(argv, {}), &usage);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!status || !exited_zero(*status)) {
    throw InputError("<bench>", result.npu + " " + result.workload, "the simulation run failed");
  }
  result.peak_rss_bytes =
      std::max<uint64_t>(result.peak_rss_bytes, static_cast<uint64_t>(usage.ru_maxrss) * 1024);
  return wall;
}

BenchResult bench_case(const std::string& npu, const std::string& workload, int repeats) {
  BenchResult result{npu, workload};
  const std::string stats_file =
      (std::filesystem::temp_directory_path() / fmt::format("npusim-bench-{}.json", getpid())).string();
  for (int i = 0; i < repeats; ++i) {
    const double wall = run_child(
        {self_executable(), "run", "--npu", npu, "--workload", workload, "--quiet", "--host-stats", stats_file},
        result);
    const auto stats = load_json_file(stats_file);
    if (wall < result.wall_s) {
      result.wall_s = wall;
      result.simulate_s = stats["simulate_s"].get<double>();
    }
    result.simulated_cycles = stats["simulated_cycles"].get<uint64_t>();
    result.commands = stats["commands"].get<uint64_t>();
  }
  std::remove(stats_file.c_str());
  return result;
}

std::string result_line(const BenchResult& r, double cycles_per_s) {
  return fmt::format("{:<18} {:<14} {:>9.3f} {:>11.3f} {:>14} {:>16.3e} {:>9} {:>9.1f}\n", r.npu, r.workload,
                     r.wall_s, r.simulate_s, r.simulated_cycles, cycles_per_s, r.commands,
                     static_cast<double>(r.peak_rss_bytes) / 1e6);
}

nlohmann::json result_json(const BenchResult& r, double cycles_per_s) {
  return {{"npu", r.npu},
          {"workload", r.workload},
          {"wall_s", r.wall_s},
          {"simulate_s", r.simulate_s},
          {"simulated_cycles", r.simulated_cycles},
          {"simulated_cycles_per_s", cycles_per_s},
          {"commands", r.commands},
          {"peak_rss_bytes", r.peak_rss_bytes}};
}

}  // namespace

std::vector<BenchCase> default_bench_cases() {
  return {{"edge-int8", "resnet50"}, {"tpu-v1", "resnet50"},          {"edge-int8", "mobilenetv2"},
          {"edge-int8", "yolov5s"},  {"datacenter-bf16", "resnet50"}, {"scalesim-google", "resnet50"}};
}

int bench_command(const BenchOptions& options) {
  const std::vector<BenchCase> cases = options.cases.empty() ? default_bench_cases() : options.cases;
  std::cout << fmt::format("{:<18} {:<14} {:>9} {:>11} {:>14} {:>16} {:>9} {:>9}\n", "npu", "workload",
                           "wall_s", "simulate_s", "sim_cycles", "sim_cycles_per_s", "commands", "peak_MB");
  nlohmann::json all = nlohmann::json::array();
  for (const auto& [npu, workload] : cases) {
    const BenchResult r = bench_case(npu, workload, options.repeats);
    const double cycles_per_s = static_cast<double>(r.simulated_cycles) / r.wall_s;
    std::cout << result_line(r, cycles_per_s) << std::flush;
    all.push_back(result_json(r, cycles_per_s));
  }
  if (!options.json_path.empty()) write_file_atomically(options.json_path, all.dump(2) + "\n");
  return 0;
}

}  // namespace npusim
