// npusim op trace importer (JSON; format in traces/README.md, schema in traces/npusim-trace.schema.json):
// operators with shapes, dtypes, names and dependencies, plus an optional stream of request arrivals.
#pragma once

#include <string>

#include "arch/spec/dtype.h"
#include "workloads/ir/operator.h"

namespace npusim {

struct TraceImportOptions {
  DType default_dtype = DType::kInt8;  // for operators that give no dtype
};

// Parses trace text. Dependencies ("inputs") name producers by name or index; a list not in dependency
// order is put in one (stable: an ordered list stays as it is), a cycle is an error. Requests are
// validated and carried as Workload::requests (not simulated yet). `file` names the trace in errors:
// InputError(file, "operators[3].kernel" or "line 4, column 7", expectation + " (operator 'conv1')").
// The workload is named after the trace's "name" (default: the file's stem); its source is `file`.
Workload parse_trace_json(const std::string& text, const std::string& file,
                          const TraceImportOptions& options);

Workload load_trace_json(const std::string& path, const TraceImportOptions& options);

}  // namespace npusim
