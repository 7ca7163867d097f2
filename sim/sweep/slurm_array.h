// Slurm job arrays for sweeps: the sbatch script, submission, and a time-bounded squeue wait.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace npusim {

struct SlurmScriptParams {
  std::string job_name;
  std::string executable;  // absolute path of npusim
  std::string spec_path;   // absolute
  std::string out_dir;     // absolute
  std::string work_dir;    // --chdir: where relative names in the spec resolve
  std::string configs_dir;
  std::string partition;  // empty: the cluster default
  int tasks = 1;          // array indices 0..tasks-1
  int parallelism = 0;    // at most this many at once (0: no limit)
};

// A bash script for `sbatch`: each array task runs `npusim sweep SPEC --out DIR --shard I/S`.
std::string sbatch_script(const SlurmScriptParams& params);

// The full path of an executable found on $PATH, or empty.
std::string find_on_path(const std::string& name);

struct CommandOutput {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};
CommandOutput run_capturing(const std::vector<std::string>& argv);

// Submits a script with `sbatch --parsable` and returns the job id; a refusal is an InputError.
std::string submit_sbatch(const std::string& script_path);

// Polls squeue until job `job_id` has no pending or running tasks. Returns false on timeout.
bool wait_for_slurm_job(const std::string& job_id, double timeout_s, double poll_interval_s,
                        std::ostream* log);

}  // namespace npusim
