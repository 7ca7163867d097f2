// `npusim list`: the presets and workloads this build knows.
#include "sim/cli/commands.h"
#include "sim/cli/option_parsing.h"
#include "sim/run/config_commands.h"

namespace npusim {
namespace po = boost::program_options;

int cmd_list(const Args& args) {
  po::options_description described("Options");
  po::variables_map values;
  if (!parse_options(args, described, {}, values,
                     "usage: npusim list\n\nLists NPU presets and zoo workloads.")) {
    return 0;
  }
  return list_command();
}

}  // namespace npusim
