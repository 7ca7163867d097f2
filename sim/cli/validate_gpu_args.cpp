// Parses and validates the arguments of `npusim validate-gpu`: the GPU baseline against its published
// calibration set.
#include "sim/cli/command_args.h"
#include "sim/cli/option_parsing.h"
#include "sim/io/config_loader.h"
#include "sim/run/validate_gpu_job.h"

namespace npusim {
namespace po = boost::program_options;

std::optional<ValidateGpuOptions> parse_validate_gpu_args(const Args& args) {
  ValidateGpuOptions options;
  options.data = default_calibration_file();
  po::options_description described("Options");
  // clang-format off
  described.add_options()
      ("gpu", po::value(&options.gpu), "only the points on this GPU preset (default: all)")
      ("data", po::value(&options.data)->default_value(options.data),
       "calibration set (CSV, analysis/calibration/README.md)")
      ("set", po::value(&options.overrides)->composing(),
       "override a field of every GPU preset: gpu.l2_residency=false (repeatable)")
      ("json", po::bool_switch(&options.json), "print JSON instead of the table");
  // clang-format on
  po::variables_map values;
  if (!parse_options(args, described, {}, values,
                     "usage: npusim validate-gpu [--gpu NAME] [--data FILE] [--set gpu.path=value] [--json]\n\n"
                     "Prints the GPU model's throughput against every published calibration point, the error, "
                     "and the mean absolute and worst errors.")) {
    return std::nullopt;
  }
  return options;
}

}  // namespace npusim
