// `npusim run`: simulate workloads on an NPU config and report per layer and in total.
#include <fmt/format.h>

#include <tuple>

#include "sim/cli/commands.h"
#include "sim/cli/option_parsing.h"
#include "arch/spec/input_error.h"
#include "sim/run/llm_run.h"
#include "sim/run/run_job.h"

namespace npusim {
namespace po = boost::program_options;

int cmd_run(const Args& args) {
  RunOptions options;
  int64_t batch = 0;
  int64_t prefill = 0, decode = 0, decode_samples = kDefaultDecodeSamples;
  auto timeline_max_spans = static_cast<int64_t>(options.timeline_max_spans);
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
      ("batch", po::value(&batch), "batch size for every workload")
      ("dtype", po::value(&options.dtype), "operand data type: int8, fp16, bf16, fp32 (default: the NPU's first)")
      ("set", po::value(&options.overrides)->composing(),
       "override a config field: npu.sram.banks=8, gpu.tdp_w=300 (repeatable)")
      ("out", po::value(&options.out_dir), "write DIR/result.json and DIR/layers.csv")
      ("quiet,q", po::bool_switch(&options.quiet), "no table on the terminal")
      ("allow-unsupported", po::bool_switch(&options.allow_unsupported),
       "ONNX workloads: skip unsupported operators with a warning (kept in result.json) instead of failing")
      ("host-stats", po::value(&options.host_stats_file), "write this process's wall times and peak memory (JSON)")
      ("timeline", po::value(&options.timeline_file), "write a Perfetto/Chrome trace of every unit's spans (open in ui.perfetto.dev)")
      ("timeline-max-spans", po::value(&timeline_max_spans)->default_value(timeline_max_spans),
       "--timeline: past this many spans, merge each track's spans per layer (then further) to stay under it")
      ("prefill", po::value(&prefill), "LLM mode: prompt tokens per sequence (default: the workload's seq)")
      ("decode", po::value(&decode), "LLM mode: decode steps after the prefill, the KV cache growing by one each")
      ("decode-samples", po::value(&decode_samples)->default_value(decode_samples),
       "LLM mode: decode steps simulated, the others interpolated linearly (0: all)");
  // clang-format on
  po::variables_map values;
  if (!parse_options(
          args, described, {}, values,
          "usage: npusim run --npu CONFIG --workload WORKLOAD [--gpu GPU] [--batch N] [--set path=value] [--out DIR]")) {
    return 0;
  }
  if (values.count("batch") && (batch <= 0 || batch > 1000000)) {
    throw InputError("<cli>", "--batch",
                     fmt::format("expected a positive integer up to 1000000, got {}", batch));
  }
  options.batch = static_cast<uint32_t>(batch);
  if (timeline_max_spans < 1 || timeline_max_spans > 100000000) {
    throw InputError("<cli>", "--timeline-max-spans",
                     fmt::format("expected an integer from 1 to 100000000, got {}", timeline_max_spans));
  }
  options.timeline_max_spans = static_cast<uint64_t>(timeline_max_spans);
  if (values.count("prefill") || values.count("decode")) {
    for (const auto& [flag, value, low] : {std::tuple{"prefill", prefill, 1}, std::tuple{"decode", decode, 1},
                                           std::tuple{"decode-samples", decode_samples, 0}}) {
      if (values.count(flag) && (value < low || value > 1000000)) {
        throw InputError("<cli>", std::string("--") + flag,
                         fmt::format("expected an integer from {} to 1000000, got {}", low, value));
      }
    }
    if (!values.count("decode")) throw InputError("<cli>", "--prefill", "needs --decode (LLM mode)");
    if (!options.timeline_file.empty()) throw InputError("<cli>", "--timeline", "not supported in LLM mode");
    return llm_run_command(options, LlmOptions{static_cast<uint64_t>(prefill), static_cast<uint64_t>(decode),
                                               static_cast<uint32_t>(decode_samples)});
  }
  return run_command(options);
}

}  // namespace npusim
