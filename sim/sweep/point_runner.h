// Runs design points as `npusim run` (or, for serve points, `npusim serve`) child processes (SystemC elaborates once per process), up to
// `jobs` at a time, and appends one result line per finished point.
#pragma once

#include <cstddef>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/sweep/results_store.h"
#include "sim/sweep/sweep_spec.h"

namespace npusim {

struct RunnerOptions {
  int jobs = 1;
  std::string scratch_dir;      // per-point --out folders live here while a worker runs
  std::string keep_dir;         // non-empty: keep each point's result.json and layers.csv in keep_dir/ID
  bool progress_bar = false;    // a redrawn bar (a terminal) instead of one line per point
  std::ostream* log = nullptr;  // progress goes here; null: silent
};

struct RunSummary {
  size_t ok = 0;
  size_t failed = 0;       // finished with status "error" (recorded; a resume skips them)
  size_t interrupted = 0;  // worker killed by a signal: nothing recorded, a resume retries
  double wall_s = 0;
};

// The `npusim run` arguments for a point (without the program path), writing into `out_dir`.
std::vector<std::string> worker_arguments(const PointRequest& request, const std::string& out_dir);

// The line recorded for a point: id, index, axis values, status, then metrics or the error.
nlohmann::ordered_json result_line(const SweepPoint& point, const std::string& status,
                                   const std::string& error, const nlohmann::ordered_json& metrics);

// The metrics of a run: the scalars of result.json's "totals", nested objects flattened to a.b, and
// those of its single workload's GPU comparison as comparison.*; of a serve point, the scalars of its
// serving, gpu_serving and find_max_rate sections as serving.*, gpu_serving.*, find_max_rate.*.
nlohmann::ordered_json metrics_from_result(const nlohmann::ordered_json& result);

// Runs `points` (in order, `jobs` at a time) and appends each finished one to `appender`.
RunSummary run_points(const std::vector<const SweepPoint*>& points, ResultAppender& appender,
                      const RunnerOptions& options);

// Whether `npusim run --help` of this build lists a --gpu option.
bool run_supports_gpu();

}  // namespace npusim
