#include "sim/serve/stream_costs.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "sim/io/child_process.h"
#include "sim/io/config_loader.h"
#include "sim/io/text_file.h"
#include "workloads/workload_spec.h"

namespace npusim {
namespace {

namespace fs = std::filesystem;

struct WorkerPoint {
  size_t model;
  uint32_t batch;
  bool gpu;  // priced on the GPU too
};

std::string batched(const std::string& model, uint32_t batch) {
  WorkloadSpec spec = parse_workload_spec(model);
  spec.params["batch"] = std::to_string(batch);
  return format_workload_spec(spec);
}

// One `npusim run` child; its stdout and stderr go to `log`. Throws with the log's tail when it fails.
void run_worker(const std::vector<std::string>& argv, const std::string& log) {
  const int log_fd = open_child_output(log);
  if (log_fd < 0) throw std::runtime_error("cannot create worker log " + log);
  const std::optional<int> status = wait_child(start_child(argv, {log_fd, log_fd}));
  if (!status || !exited_zero(*status)) {
    throw std::runtime_error("stream cost worker failed (" + fmt::format("{}", fmt::join(argv, " ")) +
                             "): " + read_text_file(log).value_or(""));
  }
}

std::vector<std::string> worker_argv(const StreamCostRequest& request, uint32_t cores, bool gpu,
                                     const std::vector<WorkerPoint>& points, const std::string& out) {
  std::vector<std::string> argv{self_executable(), "run", "--npu", request.npu};
  for (const std::string& o : request.overrides) argv.insert(argv.end(), {"--set", o});
  argv.insert(argv.end(), {"--set", fmt::format("npu.cores={}", cores)});
  if (!request.dtype.empty()) argv.insert(argv.end(), {"--dtype", request.dtype});
  argv.insert(argv.end(), {"--gpu", gpu ? request.gpu : "none", "--quiet", "--layers", "none", "--out", out});
  for (const WorkerPoint& p : points)
    argv.insert(argv.end(), {"--workload", batched(request.models[p.model], p.batch)});
  return argv;
}

std::vector<WorkerPoint> points_for(const StreamCostRequest& request, size_t m, bool full_chip, bool gpu) {
  const uint32_t max_gpu = gpu && full_chip ? request.gpu_max_batch[m] : 0;
  std::vector<uint32_t> grid = frame_batch_grid(request.npu_max_batch[m]);
  const std::vector<uint32_t> gpu_grid = max_gpu > 0 ? frame_batch_grid(max_gpu) : std::vector<uint32_t>{};
  grid.insert(grid.end(), gpu_grid.begin(), gpu_grid.end());
  std::sort(grid.begin(), grid.end());
  grid.erase(std::unique(grid.begin(), grid.end()), grid.end());
  std::vector<WorkerPoint> points;
  for (uint32_t b : grid) points.push_back({m, b, max_gpu > 0});
  return points;
}

// Reads the worker's result.json: per workload its totals and its layer rows' cumulative ends.
void read_worker(const std::string& file, const std::vector<WorkerPoint>& points, FrameCostTable& npu,
                 FrameCostTable* gpu) {
  const auto result = load_json_file(file);
  const auto& workloads = result.at("workloads");
  const auto& layers = result.at("layers");
  size_t row = 0;
  for (size_t w = 0; w < points.size(); ++w) {
    const auto& totals = workloads.at(w).at("totals");
    FrameRunCost cost;
    cost.time_s = totals.at("time_s").get<double>();
    cost.energy_j = totals.at("energy_j").get<double>();
    const size_t count = totals.at("layers").get<size_t>();
    double end = 0.0;
    for (size_t k = 0; k < count; ++k, ++row) {
      end += layers.at(row).at("time_s").get<double>();
      cost.layer_end_s.push_back(end);
    }
    if (!cost.layer_end_s.empty()) cost.layer_end_s.back() = cost.time_s;  // the sum, exactly
    npu.add(points[w].model, points[w].batch, cost);
    if (gpu != nullptr && points[w].gpu) {
      const auto& g = workloads.at(w).at("comparison").at("gpu");
      gpu->add(points[w].model, points[w].batch,
               {g.at("time_s").get<double>(), g.at("energy_j").get<double>(), {}});
    }
  }
}

}  // namespace

StreamCostTables build_stream_cost_tables(const StreamCostRequest& request) {
  const auto start = std::chrono::steady_clock::now();
  StreamCostTables tables;
  std::string pattern = (fs::temp_directory_path() / "npusim-streams-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary directory");
  const fs::path dir = pattern;
  std::vector<uint32_t> counts = request.core_counts;
  const bool gpu = request.gpu != "none";
  if (gpu && std::find(counts.begin(), counts.end(), request.chip_cores) == counts.end())
    counts.push_back(request.chip_cores);
  try {
    for (uint32_t cores : counts) {
      const bool full_chip = cores == request.chip_cores;
      for (size_t m = 0; m < request.models.size(); ++m) {
        const std::vector<WorkerPoint> points = points_for(request, m, full_chip, gpu);
        const std::string out = (dir / fmt::format("cores{}-model{}", cores, m)).string();
        run_worker(worker_argv(request, cores, gpu && full_chip, points, out), out + ".log");
        read_worker(out + "/result.json", points, tables.npu_by_cores[cores],
                    full_chip && gpu ? &tables.gpu : nullptr);
        tables.simulated_workloads += points.size();
        tables.worker_processes += 1;
      }
    }
  } catch (...) {
    fs::remove_all(dir);
    throw;
  }
  fs::remove_all(dir);
  tables.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return tables;
}

}  // namespace npusim
