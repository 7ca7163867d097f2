// `npusim export-trace`: a workload (a zoo model, or any workload file the run command reads) as an
// npusim op trace (traces/README.md), or the trace format's JSON Schema, to a file or stdout.
#pragma once

#include <cstdint>
#include <string>

namespace npusim {

struct ExportTraceOptions {
  std::string workload;  // zoo name with parameters, or a workload file
  std::string out_path;  // empty: stdout
  std::string dtype = "int8";  // for operators that do not fix one
  uint32_t batch = 0;          // 0: the workload's own
  bool allow_unsupported = false;  // ONNX: skip unsupported operators with a warning
  bool schema = false;             // write the JSON Schema instead of a workload
};

// Returns the exit code; bad input throws InputError.
int export_trace_command(const ExportTraceOptions& options);

}  // namespace npusim
