// `npusim run --scalesim-reports DIR`: SCALE-Sim v2's three reports for a SCALE-Sim topology on a
// SCALE-Sim config, from the memory-system replay (arch/timing/scalesim_memory_replay.h).
#pragma once

#include <string>

#include "sim/io/scalesim_reports.h"
#include "sim/run/run_job.h"

namespace npusim {

// All three files' contents for the run's NPU config and its single SCALE-Sim topology (.csv)
// workload; InputError on anything SCALE-Sim would not take, before any file is written.
ScaleSimReportFiles scalesim_report_files(const RunOptions& options);

}  // namespace npusim
