// Parses and validates the arguments of `npusim list`: the presets and workloads this build knows.
#include "sim/cli/command_args.h"
#include "sim/cli/option_parsing.h"

namespace npusim {
namespace po = boost::program_options;

bool parse_list_args(const Args& args) {
  po::options_description described("Options");
  po::variables_map values;
  return parse_options(args, described, {}, values, "usage: npusim list\n\nLists NPU presets and zoo workloads.");
}

}  // namespace npusim
