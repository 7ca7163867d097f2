// Every subcommand's arguments parsed and validated into the options its job takes, before anything is
// loaded or simulated (only output paths are looked at, lstat-wise). nullopt (false for list) when --help
// was asked and printed; bad input throws InputError("<cli>", flag, ...). The commands (commands.cpp) run
// the jobs; the CLI fuzz target (tests/fuzz/fuzz_cli.cpp) calls these alone.
#pragma once

#include <optional>

#include "sim/cli/commands.h"
#include "sim/fleet/fleet_job.h"
#include "sim/regress/regress_job.h"
#include "sim/run/bench_job.h"
#include "sim/run/config_commands.h"
#include "sim/run/export_trace_job.h"
#include "sim/run/llm_run.h"
#include "sim/run/multichip_run.h"
#include "sim/run/run_job.h"
#include "sim/run/validate_gpu_job.h"
#include "sim/serve/serve_run.h"
#include "sim/sweep/pareto_report.h"
#include "sim/sweep/sweep_job.h"

namespace npusim {

// `npusim run`: LLM mode when llm is set, on a multi-chip system when multichip is set too.
struct RunArgs {
  RunOptions options;
  std::optional<LlmOptions> llm;
  std::optional<MultichipOptions> multichip;
};

std::optional<RunArgs> parse_run_args(const Args& args);
bool parse_list_args(const Args& args);
std::optional<ValidateOptions> parse_validate_args(const Args& args);
std::optional<ValidateGpuOptions> parse_validate_gpu_args(const Args& args);
std::optional<BenchOptions> parse_bench_args(const Args& args);
std::optional<ExportTraceOptions> parse_export_trace_args(const Args& args);
std::optional<SweepOptions> parse_sweep_args(const Args& args);
std::optional<ParetoQuery> parse_pareto_args(const Args& args);
std::optional<RegressOptions> parse_regress_args(const Args& args);
std::optional<ServeOptions> parse_serve_args(const Args& args);
std::optional<FleetOptions> parse_fleet_args(const Args& args);

}  // namespace npusim
