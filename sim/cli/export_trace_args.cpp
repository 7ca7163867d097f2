// Parses and validates the arguments of `npusim export-trace`: writes a workload (a zoo model, or any
// workload file the run command reads) as an npusim op trace (traces/README.md), to a file or stdout.
#include "arch/spec/input_error.h"
#include "sim/cli/command_args.h"
#include "sim/cli/option_parsing.h"
#include "sim/run/export_trace_job.h"

namespace npusim {
namespace po = boost::program_options;

std::optional<ExportTraceOptions> parse_export_trace_args(const Args& args) {
  ExportTraceOptions options;
  int64_t batch = 0;
  po::options_description described("Options");
  described.add_options()("workload", po::value(&options.workload),
                          "zoo name with optional parameters (resnet50:batch=4), or a workload file "
                          "(.csv, .json trace, .onnx)")("out", po::value(&options.out_path),
                                                        "write the trace here (default: stdout)")(
      "batch", po::value(&batch), "batch size (default: the workload's own)")(
      "dtype", po::value(&options.dtype)->default_value(options.dtype),
      "data type of operators that do not fix one: int8, fp16, bf16, fp32")(
      "allow-unsupported", po::bool_switch(&options.allow_unsupported),
      "ONNX: skip unsupported operators with a warning instead of failing")(
      "schema", po::bool_switch(&options.schema), "write the trace format's JSON Schema instead of a workload");
  po::variables_map values;
  if (!parse_options(args, described, {}, values,
                     "usage: npusim export-trace --workload WORKLOAD [--batch N] [--dtype T] [--out FILE]\n"
                     "       npusim export-trace --schema [--out FILE]\n\n"
                     "Writes the workload as an npusim op trace (JSON, traces/README.md); `npusim run "
                     "--workload FILE.json` replays it.")) {
    return std::nullopt;
  }
  check_output_options(values, {{"out", OutputKind::kFile}});
  if (!options.schema) {
    if (options.workload.empty()) throw InputError("<cli>", "--workload", "expected a workload (or --schema)");
    options.batch = batch_option(values, batch);
  }
  return options;
}

}  // namespace npusim
