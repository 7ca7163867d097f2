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
         "  bench      measure simulator speed: wall seconds per network, simulated cycles/s, peak memory\n";
}

int dispatch(const std::vector<std::string>& args) {
  const std::string& command = args.front();
  if (command == "run") return npusim::cmd_run(args);
  if (command == "list") return npusim::cmd_list(args);
  if (command == "validate") return npusim::cmd_validate(args);
  if (command == "bench") return npusim::cmd_bench(args);
  if (command == "--help" || command == "-h" || command == "help") {
    print_usage(std::cout);
    return 0;
  }
  throw npusim::InputError("<cli>", command, "unknown command; expected one of: run, list, validate, bench");
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
