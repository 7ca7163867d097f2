// `npusim export-trace`: writes a workload (a zoo model, or any workload file the run command reads) as
// an npusim op trace (traces/README.md), to a file or stdout.
#include <iostream>

#include "sim/cli/commands.h"
#include "sim/cli/option_parsing.h"
#include "sim/io/atomic_file.h"
#include "arch/spec/input_error.h"
#include "sim/run/workload_loader.h"
#include "workloads/exporters/trace_export.h"
#include "workloads/exporters/trace_json_schema.h"

namespace npusim {
namespace po = boost::program_options;

namespace {

void write_text(const std::string& text, const std::string& out_path) {
  if (out_path.empty()) {
    std::cout << text << std::flush;
  } else {
    write_file_atomically(out_path, text);
  }
}

}  // namespace

int cmd_export_trace(const Args& args) {
  std::string workload_spec;
  std::string out_path;
  std::string dtype_text = "int8";
  int64_t batch = 0;
  bool allow_unsupported = false;
  bool schema = false;
  po::options_description described("Options");
  described.add_options()("workload", po::value(&workload_spec),
                          "zoo name with optional parameters (resnet50:batch=4), or a workload file "
                          "(.csv, .json trace, .onnx)")("out", po::value(&out_path),
                                                        "write the trace here (default: stdout)")(
      "batch", po::value(&batch), "batch size (default: the workload's own)")(
      "dtype", po::value(&dtype_text)->default_value(dtype_text),
      "data type of operators that do not fix one: int8, fp16, bf16, fp32")(
      "allow-unsupported", po::bool_switch(&allow_unsupported),
      "ONNX: skip unsupported operators with a warning instead of failing")(
      "schema", po::bool_switch(&schema), "write the trace format's JSON Schema instead of a workload");
  po::variables_map values;
  if (!parse_options(args, described, {}, values,
                     "usage: npusim export-trace --workload WORKLOAD [--batch N] [--dtype T] [--out FILE]\n"
                     "       npusim export-trace --schema [--out FILE]\n\n"
                     "Writes the workload as an npusim op trace (JSON, traces/README.md); `npusim run "
                     "--workload FILE.json` replays it.")) {
    return 0;
  }
  if (schema) {
    write_text(nlohmann::ordered_json(trace_json_schema()).dump(2) + "\n", out_path);
    return 0;
  }
  if (workload_spec.empty()) throw InputError("<cli>", "--workload", "expected a workload (or --schema)");
  if (values.count("batch") && (batch <= 0 || batch > 1000000)) {
    throw InputError("<cli>", "--batch",
                     "expected a positive integer up to 1000000, got " + std::to_string(batch));
  }
  const auto dtype = parse_dtype(dtype_text);
  if (!dtype)
    throw InputError("<cli>", "--dtype", "'" + dtype_text + "' is not one of: " + known_dtype_names());
  WorkloadRequest request{workload_spec, static_cast<uint32_t>(batch), std::nullopt, allow_unsupported};
  const Workload workload = load_workload(request, *dtype);
  for (const auto& warning : workload.warnings) std::cerr << "npusim: warning: " << warning << "\n";
  write_text(workload_to_trace_text(workload), out_path);
  return 0;
}

}  // namespace npusim
