#include "sim/run/export_trace_job.h"

#include <iostream>
#include <optional>

#include "sim/io/atomic_file.h"
#include "sim/run/run_job.h"
#include "sim/run/workload_loader.h"
#include "workloads/exporters/trace_export.h"
#include "workloads/exporters/trace_json_schema.h"

namespace npusim {
namespace {

void write_text(const std::string& text, const std::string& out_path) {
  if (out_path.empty()) {
    std::cout << text << std::flush;
  } else {
    write_file_atomically(out_path, text);
  }
}

}  // namespace

int export_trace_command(const ExportTraceOptions& options) {
  if (options.schema) {
    write_text(nlohmann::ordered_json(trace_json_schema()).dump(2) + "\n", options.out_path);
    return 0;
  }
  const DType dtype = dtype_option(options.dtype);
  const WorkloadRequest request{options.workload, options.batch, std::nullopt, options.allow_unsupported};
  const Workload workload = load_workload(request, dtype);
  for (const auto& warning : workload.warnings) std::cerr << "npusim: warning: " << warning << "\n";
  write_text(workload_to_trace_text(workload), options.out_path);
  return 0;
}

}  // namespace npusim
