// Each subcommand: its arguments parsed and validated (the *_args.cpp files), then its job run.
#include "sim/cli/commands.h"

#include "sim/cli/command_args.h"

namespace npusim {

int cmd_run(const Args& args) {
  const std::optional<RunArgs> parsed = parse_run_args(args);
  if (!parsed) return 0;
  if (parsed->multichip) return multichip_llm_run_command(parsed->options, *parsed->llm, *parsed->multichip);
  if (parsed->llm) return llm_run_command(parsed->options, *parsed->llm);
  return run_command(parsed->options);
}

int cmd_list(const Args& args) { return parse_list_args(args) ? list_command() : 0; }

int cmd_validate(const Args& args) {
  const std::optional<ValidateOptions> options = parse_validate_args(args);
  return options ? validate_command(*options) : 0;
}

int cmd_validate_gpu(const Args& args) {
  const std::optional<ValidateGpuOptions> options = parse_validate_gpu_args(args);
  return options ? validate_gpu_command(*options) : 0;
}

int cmd_bench(const Args& args) {
  const std::optional<BenchOptions> options = parse_bench_args(args);
  return options ? bench_command(*options) : 0;
}

int cmd_export_trace(const Args& args) {
  const std::optional<ExportTraceOptions> options = parse_export_trace_args(args);
  return options ? export_trace_command(*options) : 0;
}

int cmd_sweep(const Args& args) {
  const std::optional<SweepOptions> options = parse_sweep_args(args);
  return options ? sweep_command(*options) : 0;
}

int cmd_pareto(const Args& args) {
  const std::optional<ParetoQuery> query = parse_pareto_args(args);
  return query ? pareto_command(*query) : 0;
}

int cmd_regress(const Args& args) {
  const std::optional<RegressOptions> options = parse_regress_args(args);
  return options ? regress_command(*options) : 0;
}

int cmd_serve(const Args& args) {
  const std::optional<ServeOptions> options = parse_serve_args(args);
  return options ? serve_command(*options) : 0;
}

int cmd_fleet(const Args& args) {
  const std::optional<FleetOptions> options = parse_fleet_args(args);
  return options ? fleet_command(*options) : 0;
}

}  // namespace npusim
