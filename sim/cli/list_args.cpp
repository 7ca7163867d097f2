// Parses and validates the arguments of `npusim list`: the presets and workloads this build knows.
#include "sim/cli/command_args.h"
#include "sim/cli/option_parsing.h"
#include "sim/run/config_commands.h"

namespace npusim {
namespace po = boost::program_options;

bool parse_list_args(const Args& args) {
  po::options_description described("Options");
  po::variables_map values;
  if (!parse_options(args, described, {}, values,
                     "usage: npusim list\n\nLists NPU presets and zoo workloads.")) {
    return false;
  }
  return true;
}

}  // namespace npusim
