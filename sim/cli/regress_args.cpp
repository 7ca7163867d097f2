// Parses and validates the arguments of `npusim regress --golden DIR [--update]`: run the regression suite
// and compare every metric with the committed goldens. Exit 0: all match; 1: a number moved (or a point
// failed); 2: bad input, such as a golden folder that does not match the suite.
#include <fmt/format.h>

#include <filesystem>

#include "arch/spec/input_error.h"
#include "sim/cli/command_args.h"
#include "sim/cli/option_parsing.h"
#include "sim/regress/regress_job.h"

namespace npusim {
namespace po = boost::program_options;

std::optional<RegressOptions> parse_regress_args(const Args& args) {
  RegressOptions options;
  po::options_description described("Options");
  described.add_options()("golden", po::value(&options.golden_dir)->required(),
                          "golden folder (tests/regression/golden)")(
      "suite", po::value(&options.suite_path), "suite file (default: suite.json beside the golden folder)")(
      "update", po::bool_switch(&options.update),
      "rewrite the goldens from this build (review the diff before committing)")(
      "jobs,j", po::value(&options.jobs)->default_value(2), "worker processes at once")(
      "out", po::value(&options.out_dir), "keep this run's results.jsonl in DIR (default: a temporary folder)")(
      "results", po::value(&options.results_dir),
      "compare the results.jsonl of an earlier --out DIR instead of running")(
      "set", po::value(&options.sets)->composing(), "perturb every point: npu.path=value (repeatable)")(
      "scale", po::value(&options.scales)->composing(),
      "perturb every point: npu.path=FACTOR multiplies the resolved value (repeatable)");
  po::variables_map values;
  if (!parse_options(args, described, {}, values,
                     "usage: npusim regress --golden DIR [--update] [--suite FILE]")) {
    return std::nullopt;
  }
  check_output_options(values, {{"out", OutputKind::kDirectory}});
  if (options.jobs < 1 || options.jobs > 1024)
    throw InputError("<cli>", "--jobs", fmt::format("expected 1 to 1024, got {}", options.jobs));
  const bool perturbed = !options.sets.empty() || !options.scales.empty();
  if (options.update && perturbed) {
    throw InputError("<cli>", "--update", "goldens cannot be written from a perturbed run (--set/--scale)");
  }
  if (!options.results_dir.empty() && (!options.out_dir.empty() || perturbed)) {
    throw InputError("<cli>", "--results", "reads earlier results; --out, --set and --scale need a run");
  }
  // A folder without results is a wrong path, not a run whose metrics all moved (exit 1).
  if (!options.results_dir.empty() && !std::filesystem::is_regular_file(options.results_dir + "/results.jsonl")) {
    throw InputError("<cli>", "--results",
                     "'" + options.results_dir +
                         "' holds no results.jsonl (expected the --out folder of an earlier regress or sweep)");
  }
  return options;
}

}  // namespace npusim
