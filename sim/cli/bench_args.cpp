// Parses and validates the arguments of `npusim bench`: simulator speed. Each case runs `npusim run` in a
// child process (SystemC elaborates once per process), timed from outside: wall seconds, simulated cycles per
// wall second, peak RSS.
#include "arch/spec/input_error.h"
#include "sim/cli/command_args.h"
#include "sim/cli/option_parsing.h"
#include "sim/run/bench_job.h"

namespace npusim {
namespace po = boost::program_options;

std::optional<BenchOptions> parse_bench_args(const Args& args) {
  std::vector<std::string> cases;
  BenchOptions options;
  po::options_description described("Options");
  described.add_options()("case", po::value(&cases)->composing(),
                          "NPU:WORKLOAD to time (repeatable; default: a fixed set)")(
      "repeat", po::value(&options.repeats)->default_value(3), "runs per case; the best wall time is reported")(
      "json", po::value(&options.json_path), "also write the results as JSON");
  po::variables_map values;
  if (!parse_options(args, described, {}, values,
                     "usage: npusim bench [--case NPU:WORKLOAD ...] [--repeat N]")) {
    return std::nullopt;
  }
  check_output_options(values, {{"json", OutputKind::kFile}});
  if (options.repeats < 1) throw InputError("<cli>", "--repeat", "expected a positive integer");
  for (const auto& c : cases) {
    const size_t colon = c.find(':');
    if (colon == std::string::npos)
      throw InputError("<cli>", "--case", "expected NPU:WORKLOAD, got '" + c + "'");
    options.cases.push_back({c.substr(0, colon), c.substr(colon + 1)});
  }
  return options;
}

}  // namespace npusim
