// Parses and validates the arguments of `npusim sweep SPEC`: run a design-space sweep, one `npusim run`
// worker process per point.
#include <fmt/format.h>

#include "sim/cli/command_args.h"
#include "sim/cli/option_parsing.h"
#include "arch/spec/input_error.h"
#include "sim/sweep/sweep_job.h"

namespace npusim {
namespace po = boost::program_options;

std::optional<SweepOptions> parse_sweep_args(const Args& args) {
  SweepOptions options;
  po::options_description described("Options");
  described.add_options()("spec", po::value(&options.spec_path)->required(), "sweep spec (JSON)")(
      "jobs,j", po::value(&options.jobs)->default_value(1), "worker processes at once")(
      "out", po::value(&options.out_dir), "results folder (default: sweeps/<spec name>); re-running resumes")(
      "keep-runs", po::bool_switch(&options.keep_runs),
      "keep each point's result.json and layers.csv in DIR/runs/ID")(
      "merge", po::bool_switch(&options.merge_only),
      "run nothing: fold Slurm shard results into DIR/results.jsonl and rewrite DIR/results.csv")(
      "slurm", po::bool_switch(&options.slurm.submit),
      "run the pending points as a Slurm job array: write the sbatch script, submit, wait, merge")(
      "slurm-script", po::bool_switch(&options.slurm.script_only), "only write DIR/slurm/sweep.sbatch")(
      "partition", po::value(&options.slurm.partition), "Slurm partition")(
      "array-parallelism", po::value(&options.slurm.array_parallelism),
      "at most K array tasks at once (--array=...%K)")("array-tasks", po::value(&options.slurm.array_tasks),
                                                       "number of array tasks (default: min(points, 64))")(
      "slurm-timeout", po::value(&options.slurm.wait_timeout_s),
      "seconds to wait for the job (default: 86400)")(
      "shard", po::value(&options.shard), "I/S: run array task I of S (the sbatch script passes this)");
  po::positional_options_description positional;
  positional.add("spec", 1);
  po::variables_map values;
  if (!parse_options(
          args, described, positional, values,
          "usage: npusim sweep SPEC [-j N] [--out DIR] [--slurm [--partition P] [--array-parallelism K]]\n\n"
          "Runs every point of a sweep spec (configs/sweeps/ has examples) and writes DIR/results.jsonl\n"
          "(one line per point, appended as points finish) and DIR/results.csv (merged at the end).\n"
          "Exit code 0 when every point is recorded (ok or error), 1 when some are not yet, 2 on bad "
          "input.")) {
    return std::nullopt;
  }
  check_output_options(values, {{"out", OutputKind::kDirectory}});
  if (options.jobs < 1 || options.jobs > 1024) {
    throw InputError("<cli>", "--jobs", fmt::format("expected 1 to 1024, got {}", options.jobs));
  }
  const bool slurm = options.slurm.submit || options.slurm.script_only;
  if (options.slurm.submit && options.slurm.script_only) {
    throw InputError("<cli>", "--slurm-script", "give either --slurm or --slurm-script");
  }
  for (const char* name : {"partition", "array-parallelism", "array-tasks", "slurm-timeout"}) {
    if (values.count(name) && !values[name].defaulted() && !slurm) {
      throw InputError("<cli>", std::string("--") + name, "needs --slurm or --slurm-script");
    }
  }
  if (options.slurm.array_parallelism < 0)
    throw InputError("<cli>", "--array-parallelism", "expected K >= 1");
  if (values.count("array-tasks") && options.slurm.array_tasks < 1) {
    throw InputError("<cli>", "--array-tasks", "expected S >= 1");
  }
  if (values.count("slurm-timeout") && !(options.slurm.wait_timeout_s > 0)) {
    throw InputError("<cli>", "--slurm-timeout", "expected a positive number of seconds");
  }
  if (options.merge_only && (slurm || !options.shard.empty())) {
    throw InputError("<cli>", "--merge", "cannot be combined with --slurm or --shard");
  }
  return options;
}

}  // namespace npusim
