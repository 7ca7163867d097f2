// `npusim sweep`: expand a spec, skip points already recorded in DIR, run the rest locally (or as a
// Slurm job array), and rewrite the merged DIR/results.csv.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/sweep/results_store.h"
#include "sim/sweep/sweep_spec.h"

namespace npusim {

struct SlurmOptions {
  bool submit = false;       // --slurm: write the script, sbatch it, wait, merge
  bool script_only = false;  // --slurm-script: write the script and stop
  std::string partition;
  int array_parallelism = 0;  // %K of --array (0: no limit)
  int array_tasks = 0;        // S array tasks (0: min(pending points, 64))
  double wait_timeout_s = 0;  // bound on waiting for the job (0: 24 h)
  double poll_interval_s = 2.0;
};

struct SweepOptions {
  std::string spec_path;
  std::string out_dir;  // empty: sweeps/<spec stem>
  int jobs = 1;
  bool keep_runs = false;   // keep each point's result.json and layers.csv under DIR/runs/ID
  bool merge_only = false;  // fold Slurm shards and rewrite results.csv without running anything
  std::string shard;        // "I/S": run as array task I of S (the sbatch script passes it)
  SlurmOptions slurm;
};

// Returns the exit code: 0 when every point is recorded (ok or error), 1 when some are not (a worker
// or array task was killed, or the Slurm wait timed out; re-running resumes).
int sweep_command(const SweepOptions& options);

// DIR/results.csv: one row per recorded point of `points` in order; columns id, the design axes,
// status, error, then every NPU metric any row has, then the baseline's comparison.* metrics. A metric
// named like an axis (batch) appears once, as the axis.
std::string results_csv(const std::vector<SweepPoint>& points, const std::vector<std::string>& axis_names,
                        const ResultSet& results);

}  // namespace npusim
