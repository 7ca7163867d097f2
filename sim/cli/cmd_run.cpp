// `npusim run`: simulate workloads on an NPU config and report per layer and in total.
#include <fmt/format.h>

#include "sim/cli/commands.h"
#include "sim/cli/option_parsing.h"
#include "sim/core/input_error.h"
#include "sim/run/run_job.h"

namespace npusim {
namespace po = boost::program_options;

int cmd_run(const Args& args) {
  RunOptions options;
  int64_t batch = 0;
  po::options_description described("Options");
  described.add_options()("npu", po::value(&options.npu)->default_value(options.npu),
                          "NPU config: a preset name (npusim list) or a JSON file, or a SCALE-Sim .cfg")(
      "workload", po::value(&options.workloads)->composing(),
      "zoo name with optional parameters (resnet50:batch=4, gemm:m=512,n=512,k=512) or a SCALE-Sim "
      "topology .csv; repeatable (default: resnet50)")("batch", po::value(&batch),
                                                       "batch size for every workload")(
      "dtype", po::value(&options.dtype),
      "operand data type: int8, fp16, bf16, fp32 (default: the NPU's first)")(
      "set", po::value(&options.overrides)->composing(),
      "override a config field: npu.sram.banks=8 (repeatable)")("out", po::value(&options.out_dir),
                                                                "write DIR/result.json and DIR/layers.csv")(
      "quiet,q", po::bool_switch(&options.quiet), "no table on the terminal")(
      "host-stats", po::value(&options.host_stats_file),
      "write this process's wall times and peak memory (JSON)");
  po::variables_map values;
  if (!parse_options(
          args, described, {}, values,
          "usage: npusim run --npu CONFIG --workload WORKLOAD [--batch N] [--set path=value] [--out DIR]")) {
    return 0;
  }
  if (values.count("batch") && (batch <= 0 || batch > 1000000)) {
    throw InputError("<cli>", "--batch",
                     fmt::format("expected a positive integer up to 1000000, got {}", batch));
  }
  options.batch = static_cast<uint32_t>(batch);
  return run_command(options);
}

}  // namespace npusim
