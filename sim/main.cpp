// npusim: one executable, subcommands. Bad input -> one line on stderr and exit code 2.
#include <iostream>
#include <string>
#include <vector>

#include "sim/cli/commands.h"
#include "arch/spec/input_error.h"

namespace {

constexpr int kExitBadInput = 2;
constexpr int kExitInternal = 3;

struct Command {
  const char* name;
  int (*run)(const npusim::Args&);
  const char* summary;
};

// The one list of subcommands: usage text, dispatch and the unknown-command error all read it.
constexpr Command kCommands[] = {
    {"run", npusim::cmd_run, "simulate workloads on an NPU config and report per layer and in total"},
    {"list", npusim::cmd_list, "list NPU presets and zoo workloads"},
    {"validate", npusim::cmd_validate, "check an NPU config and print it resolved"},
    {"validate-gpu", npusim::cmd_validate_gpu,
     "print the GPU baseline's error on every published calibration point (MLPerf set)"},
    {"bench", npusim::cmd_bench,
     "measure simulator speed: wall seconds per network, simulated cycles/s, peak memory"},
    {"export-trace", npusim::cmd_export_trace,
     "write a workload (zoo model, .csv, .json, .onnx) as an npusim op trace (JSON)"},
    {"sweep", npusim::cmd_sweep,
     "run a design-space sweep spec, one worker process per point (-j, resumable, --slurm)"},
    {"pareto", npusim::cmd_pareto, "print the Pareto front of a sweep's results for two metrics"},
    {"serve", npusim::cmd_serve,
     "serve LLM request traffic on an NPU and the GPU baseline: continuous batching, paged KV, SLO goodput"},
    {"fleet", npusim::cmd_fleet,
     "size a fleet: devices, kW, energy and cost per candidate NPU/GPU for stream and LLM demands"},
    {"regress", npusim::cmd_regress,
     "run the regression suite and compare with golden results (--update rewrites them)"},
};

void print_usage(std::ostream& out) {
  out << "usage: npusim <command> [options]   (npusim <command> --help for its options)\n\ncommands:\n";
  for (const Command& command : kCommands) {
    out << "  " << command.name << std::string(14 - std::string(command.name).size(), ' ') << command.summary
        << "\n";
  }
}

int dispatch(const std::vector<std::string>& args) {
  const std::string& name = args.front();
  for (const Command& command : kCommands) {
    if (name == command.name) return command.run(args);
  }
  if (name == "--help" || name == "-h" || name == "help") {
    print_usage(std::cout);
    return 0;
  }
  std::string known;
  for (const Command& command : kCommands) known += (known.empty() ? "" : ", ") + std::string(command.name);
  throw npusim::InputError("<cli>", name, "unknown command; expected one of: " + known);
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
