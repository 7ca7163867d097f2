// Parses and validates the arguments of `npusim run`: simulate workloads on an NPU config and report per
// layer and in total.
#include <fmt/format.h>

#include <optional>
#include <tuple>

#include "arch/spec/input_error.h"
#include "sim/cli/command_args.h"
#include "sim/cli/option_parsing.h"
#include "sim/cli/plan_flags.h"
#include "sim/run/llm_run.h"
#include "sim/run/multichip_run.h"
#include "sim/run/run_job.h"

namespace npusim {
namespace po = boost::program_options;

namespace {

// Flags read as signed integers so that a negative value is an error rather than a wrap-around.
struct RunFlags {
  int64_t batch = 0;
  int64_t prefill = 0;
  int64_t decode = 0;
  int64_t decode_samples = kDefaultDecodeSamples;
  int64_t timeline_max_spans = 0;
  PlanFlags plan;  // multi-chip (LLM mode with --system)
  bool progress = false;
  bool no_progress = false;
};

po::options_description run_options(RunOptions& options, RunFlags& flags) {
  po::options_description described("Options");
  // clang-format off
  described.add_options()
      ("npu", po::value(&options.npu)->default_value(options.npu),
       "NPU config: a preset name (npusim list) or a JSON file, or a SCALE-Sim .cfg")
      ("gpu", po::value(&options.gpu)->default_value(options.gpu),
       "GPU baseline to compare with: a preset name (configs/gpu/) or a JSON file; 'none' for no comparison")
      ("workload", po::value(&options.workloads)->composing(),
       "zoo name with optional parameters (resnet50:batch=4, gemm:m=512,n=512,k=512) or a workload file "
       "(SCALE-Sim .csv, npusim trace .json, .onnx); repeatable (default: resnet50 and bert-base)")
      ("batch", po::value(&flags.batch), "batch size for every workload")
      ("dtype", po::value(&options.dtype), "operand data type: int8, fp16, bf16, fp32 (default: the NPU's first)")
      ("seq-dist", po::value(&options.seq_dist),
       "encoders (bert-base, bert-large): lengths of the real sequences, run unpadded at their mean, clipped at "
       "the workload's seq: fixed:N, uniform:A:B, normal:mean=M,std=S, lognormal:mean=M,sigma=S, csv:FILE:COLUMN")
      ("set", po::value(&options.overrides)->composing(),
       "override a config field: npu.sram.banks=8, gpu.tdp_w=300 (repeatable)")
      ("out", po::value(&options.out_dir), "write DIR/result.json and DIR/layers.csv")
      ("quiet,q", po::bool_switch(&options.quiet), "no table on the terminal")
      ("layers", po::value(&options.layers)->default_value(options.layers),
       "per-layer rows of the table: auto (all up to 50 layers a workload, else a summary), all, none, or "
       "TEXT (layers whose name or op contains it)")
      ("progress", po::bool_switch(&flags.progress), "show layers done and elapsed time on stderr (default: on a terminal)")
      ("no-progress", po::bool_switch(&flags.no_progress), "never show progress")
      ("allow-unsupported", po::bool_switch(&options.allow_unsupported),
       "ONNX workloads: skip unsupported operators with a warning (kept in result.json) instead of failing")
      ("host-stats", po::value(&options.host_stats_file), "write this process's wall times and peak memory (JSON)")
      ("scalesim-reports", po::value(&options.scalesim_reports_dir),
       "SCALE-Sim drop-in: write its COMPUTE_REPORT.csv, BANDWIDTH_REPORT.csv and DETAILED_ACCESS_REPORT.csv "
       "for --workload T.csv on --npu X.cfg into DIR, number for number (replaces the simulation)")
      ("timeline", po::value(&options.timeline_file), "write a Perfetto/Chrome trace of every unit's spans (open in ui.perfetto.dev)")
      ("timeline-max-spans", po::value(&flags.timeline_max_spans)->default_value(flags.timeline_max_spans),
       "--timeline: past this many spans, merge each track's spans per layer (then further) to stay under it")
      ("prefill", po::value(&flags.prefill), "LLM mode: prompt tokens per sequence (default: the workload's seq)")
      ("decode", po::value(&flags.decode), "LLM mode: decode steps after the prefill, the KV cache growing by one each")
      ("decode-samples", po::value(&flags.decode_samples)->default_value(flags.decode_samples),
       "LLM mode: decode steps simulated, the others interpolated linearly (0: all)");
  // clang-format on
  add_plan_flags(described, flags.plan);
  return described;
}

// LLM mode (--prefill or --decode given): the token counts in range, --decode present, no timeline.
LlmOptions llm_options(const po::variables_map& values, const RunFlags& flags, const RunOptions& options) {
  for (const auto& [flag, value, low] : {std::tuple{"prefill", flags.prefill, 1}, std::tuple{"decode", flags.decode, 1},
                                         std::tuple{"decode-samples", flags.decode_samples, 0}}) {
    if (values.count(flag) && (value < low || value > 1000000)) {
      throw InputError("<cli>", std::string("--") + flag,
                       fmt::format("expected an integer from {} to 1000000, got {}", low, value));
    }
  }
  if (!values.count("decode")) throw InputError("<cli>", "--prefill", "needs --decode (LLM mode)");
  if (!options.timeline_file.empty() && !values.count("system")) {
    throw InputError("<cli>", "--timeline", "not supported in single-chip LLM mode (a multi-chip run, --system, has one)");
  }
  if (!options.seq_dist.empty()) throw InputError("<cli>", "--seq-dist", "applies to encoders, not LLM mode");
  return LlmOptions{static_cast<uint64_t>(flags.prefill), static_cast<uint64_t>(flags.decode),
                    static_cast<uint32_t>(flags.decode_samples)};
}

}  // namespace

std::optional<RunArgs> parse_run_args(const Args& args) {
  RunArgs parsed;
  RunOptions& options = parsed.options;
  RunFlags flags;
  flags.timeline_max_spans = static_cast<int64_t>(options.timeline_max_spans);
  const po::options_description described = run_options(options, flags);
  po::variables_map values;
  if (!parse_options(
          args, described, {}, values,
          "usage: npusim run --npu CONFIG --workload WORKLOAD [--gpu GPU] [--batch N] [--set path=value] [--out DIR]")) {
    return std::nullopt;
  }
  check_output_options(values, {{"out", OutputKind::kDirectory},
                                {"timeline", OutputKind::kFile},
                                {"host-stats", OutputKind::kFile}});
  options.batch = batch_option(values, flags.batch);
  if (flags.timeline_max_spans < 1 || flags.timeline_max_spans > 100000000) {
    throw InputError("<cli>", "--timeline-max-spans",
                     fmt::format("expected an integer from 1 to 100000000, got {}", flags.timeline_max_spans));
  }
  options.timeline_max_spans = static_cast<uint64_t>(flags.timeline_max_spans);
  if (flags.progress && flags.no_progress) throw InputError("<cli>", "--progress", "conflicts with --no-progress");
  options.progress = flags.progress ? ProgressMode::kOn : flags.no_progress ? ProgressMode::kOff : ProgressMode::kAuto;
  if (options.layers.empty()) throw InputError("<cli>", "--layers", "expected auto, all, none or a layer name or op");
  const std::optional<MultichipOptions> multichip = plan_from_flags(values, flags.plan);
  if (multichip && !values.count("decode")) throw InputError("<cli>", "--system", "needs LLM mode (--decode)");
  if (multichip || values.count("prefill") || values.count("decode")) parsed.llm = llm_options(values, flags, options);
  parsed.multichip = multichip;
  return parsed;
}

}  // namespace npusim
