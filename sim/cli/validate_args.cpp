// Parses and validates the arguments of `npusim validate CONFIG`: parse and check a config without
// simulating; prints the resolved config. `npusim validate --fields`: the table of every config field (the
// README's, generated).
#include "arch/spec/input_error.h"
#include "sim/cli/command_args.h"
#include "sim/cli/option_parsing.h"
#include "sim/run/config_commands.h"

namespace npusim {
namespace po = boost::program_options;

std::optional<ValidateOptions> parse_validate_args(const Args& args) {
  ValidateOptions options;
  po::options_description described("Options");
  described.add_options()("config", po::value(&options.config),
                          "NPU config: preset name, JSON file or SCALE-Sim .cfg")(
      "set", po::value(&options.overrides)->composing(), "override a field: npu.sram.banks=8 (repeatable)")(
      "print", po::bool_switch(&options.print), "print the resolved config as JSON")(
      "fields", po::bool_switch(&options.fields), "print every config field as a Markdown table (no CONFIG)");
  po::positional_options_description positional;
  positional.add("config", 1);
  po::variables_map values;
  if (!parse_options(
          args, described, positional, values,
          "usage: npusim validate CONFIG [--set path=value] [--print] | npusim validate --fields")) {
    return std::nullopt;
  }
  if (!options.fields && values.count("config") == 0) {  // the message Boost gives a missing required option
    throw InputError("<cli>", "npusim validate",
                     "the option '--config' is required but missing (see --help)");
  }
  return options;
}

}  // namespace npusim
