// Parses and validates the arguments of `npusim fleet SPEC [--out DIR]`: how many devices of each candidate
// carry the demands, at what power and cost (sim/fleet/fleet_job.h; the spec's schema in
// configs/fleet/README.md).
#include "sim/cli/command_args.h"
#include "sim/cli/option_parsing.h"
#include "sim/fleet/fleet_job.h"
#include "sim/io/output_path.h"

namespace npusim {
namespace po = boost::program_options;

std::optional<FleetOptions> parse_fleet_args(const Args& args) {
  FleetOptions options;
  po::options_description described("Options");
  described.add_options()("spec", po::value(&options.spec_file)->required(), "fleet spec (JSON)")(
      "out", po::value(&options.out_dir), "write DIR/fleet.json and DIR/fleet.csv")(
      "quiet", po::bool_switch(&options.quiet), "no progress lines on stderr");
  po::positional_options_description positional;
  positional.add("spec", 1);
  po::variables_map values;
  if (!parse_options(args, described, positional, values, "usage: npusim fleet SPEC [--out DIR] [--quiet]")) {
    return std::nullopt;
  }
  check_output_options(values, {{"out", OutputKind::kDirectory}});
  return options;
}

}  // namespace npusim
