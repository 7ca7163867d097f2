// libFuzzer target: the npusim trace parser. Any input either imports or raises InputError; an imported
// workload written back as a trace must import again to the same text (writer and reader agree).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "arch/spec/input_error.h"
#include "workloads/exporters/trace_export.h"
#include "workloads/importers/trace_json.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  npusim::Workload workload;
  try {
    workload = npusim::parse_trace_json(text, "fuzz.json", npusim::TraceImportOptions{});
  } catch (const npusim::InputError&) {
    return 0;
  }
  const std::string written = npusim::workload_to_trace_text(workload);
  const npusim::Workload again = npusim::parse_trace_json(written, "fuzz.json", npusim::TraceImportOptions{});
  if (npusim::workload_to_trace_text(again) != written) std::abort();
  return 0;
}
