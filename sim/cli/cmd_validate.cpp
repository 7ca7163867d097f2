// `npusim validate CONFIG`: parse and check a config without simulating; prints the resolved config.
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/cli/option_parsing.h"
#include "arch/spec/npu_config_parse.h"
#include "sim/run/run_job.h"

namespace npusim {
namespace po = boost::program_options;

int cmd_validate(const Args& args) {
  std::string config_spec;
  std::vector<std::string> overrides;
  bool print = false;
  po::options_description described("Options");
  described.add_options()("config", po::value(&config_spec)->required(),
                          "NPU config: preset name, JSON file or SCALE-Sim .cfg")(
      "set", po::value(&overrides)->composing(), "override a field: npu.sram.banks=8 (repeatable)")(
      "print", po::bool_switch(&print), "print the resolved config as JSON");
  po::positional_options_description positional;
  positional.add("config", 1);
  po::variables_map values;
  if (!parse_options(args, described, positional, values,
                     "usage: npusim validate CONFIG [--set path=value] [--print]")) {
    return 0;
  }
  std::string source;
  const NpuConfig config = resolve_npu_config(config_spec, overrides, &source);
  if (print) {
    std::cout << npu_config_to_json(config).dump(2) << "\n";
  } else {
    std::cout << source << ": ok (" << config.name << ")\n";
  }
  return 0;
}

}  // namespace npusim
