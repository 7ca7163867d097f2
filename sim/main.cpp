// npusim: one executable, subcommands. Bad input -> one line on stderr and exit code 2.
#include <iostream>
#include <string>
#include <vector>

#include "sim/cli/commands.h"
#include "sim/core/input_error.h"

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;

void print_usage(std::ostream& out) {
  out << "usage: npusim <command> [options]   (npusim <command> --help for its options)\n\n"
         "commands:\n"
         "  run        simulate workloads on an NPU config and report per layer and in total\n"
         "  list       list NPU presets and zoo workloads\n"
         "  validate   check an NPU config and print it resolved\n"
         "  bench      measure simulator speed: wall seconds per network, simulated cycles/s, peak memory\n"
         "  export-trace  write a workload (zoo model, .csv, .json, .onnx) as an npusim op trace (JSON)\n"
         "  sweep      run a design-space sweep spec, one worker process per point (-j, resumable, --slurm)\n"
         "  pareto     print the Pareto front of a sweep's results for two metrics\n"
         "  regress    run the regression suite and compare with golden results (--update rewrites them)\n";
}

int dispatch(const std::vector<std::string>& args) {
  const std::string& command = args.front();
  if (command == "run") return npusim::cmd_run(args);
  if (command == "list") return npusim::cmd_list(args);
  if (command == "validate") return npusim::cmd_validate(args);
  if (command == "bench") return npusim::cmd_bench(args);
  if (command == "export-trace") return npusim::cmd_export_trace(args);
  if (command == "sweep") return npusim::cmd_sweep(args);
  if (command == "pareto") return npusim::cmd_pareto(args);
  if (command == "regress") return npusim::cmd_regress(args);
  if (command == "--help" || command == "-h" || command == "help") {
    print_usage(std::cout);
    return 0;
  }
  throw npusim::InputError("<cli>", command, "unknown command; expected one of: run, list, validate, bench, export-trace, sweep, pareto, regress");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    print_usage(std::cerr);
    return kExitBadInput;
  }
  try {
    return dispatch(std::vector<std::string>(argv + 1, argv + argc));
  } catch (const npusim::InputError& error) {
    std::cerr << "npusim: error: " << error.what() << "\n";
    return kExitBadInput;
  } catch (const std::exception& error) {
    std::cerr << "npusim: internal error: " << error.what() << "\n";
    return kExitInternal;
  }
}
