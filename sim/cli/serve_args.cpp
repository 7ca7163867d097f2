// Parses and validates the arguments of `npusim serve`: LLM serving of request traffic on an NPU and the GPU
// baseline (sim/serve/serve_run.h).
#include <fmt/format.h>

#include "arch/spec/input_error.h"
#include "sim/cli/command_args.h"
#include "sim/cli/option_parsing.h"
#include "sim/cli/plan_flags.h"
#include "sim/serve/serve_run.h"

namespace npusim {
namespace po = boost::program_options;
namespace {

SchedulerPolicy parse_policy(const std::string& text) {
  if (text == "vllm") return SchedulerPolicy::kVllm;
  if (text == "sarathi") return SchedulerPolicy::kSarathi;
  if (text == "static") return SchedulerPolicy::kStatic;
  throw InputError("<cli>", "--scheduler", "'" + text + "' is not one of: vllm, sarathi, static");
}

PreemptionMode parse_preemption(const std::string& text) {
  if (text == "recompute") return PreemptionMode::kRecompute;
  if (text == "swap") return PreemptionMode::kSwap;
  throw InputError("<cli>", "--preemption", "'" + text + "' is not one of: recompute, swap");
}

void check_range(const char* flag, int64_t value, int64_t low, int64_t high) {
  if (value < low || value > high)
    throw InputError("<cli>", std::string("--") + flag, fmt::format("expected an integer from {} to {}, got {}", low, high, value));
}

struct RawFlags {
  std::string scheduler = "vllm", preemption = "recompute", slo, input = "lognormal:mean=512,sigma=0.8", output = "lognormal:mean=256,sigma=0.8";
  int64_t max_num_seqs = 256, max_batched_tokens = 8192, prefill_chunk = 512, block_tokens = 16, requests = 1000;
  int64_t seed = 1, validation_steps = 32;
};

void finish_options(const RawFlags& raw, const po::variables_map& values, ServeOptions& o) {
  o.scheduler.policy = parse_policy(raw.scheduler);
  o.scheduler.preemption = parse_preemption(raw.preemption);
  if (!(o.host_link_gbytes_per_s > 0) || o.host_link_gbytes_per_s > 1e6)
    throw InputError("<cli>", "--host-link-gbytes-per-s", "expected a bandwidth > 0 GB/s");
  check_range("max-num-seqs", raw.max_num_seqs, 1, 65536);
  check_range("max-batched-tokens", raw.max_batched_tokens, 1, 1 << 20);
  check_range("prefill-chunk", raw.prefill_chunk, 1, 1 << 20);
  check_range("block-tokens", raw.block_tokens, 1, 65536);
  check_range("requests", raw.requests, 1, 10000000);
  check_range("seed", raw.seed, 0, INT64_MAX);
  check_range("validation-steps", raw.validation_steps, 1, 1000);
  o.scheduler.max_num_seqs = static_cast<uint32_t>(raw.max_num_seqs);
  o.scheduler.max_batched_tokens = static_cast<uint64_t>(raw.max_batched_tokens);
  o.scheduler.prefill_chunk = static_cast<uint64_t>(raw.prefill_chunk);
  o.scheduler.block_tokens = static_cast<uint64_t>(raw.block_tokens);
  o.traffic.requests = static_cast<uint64_t>(raw.requests);
  o.traffic.seed = static_cast<uint64_t>(raw.seed);
  o.validation_steps = static_cast<uint32_t>(raw.validation_steps);
  if (!(o.traffic.rate_per_s > 0) || o.traffic.rate_per_s > 1e9) throw InputError("<cli>", "--rate", "expected a rate > 0 requests/s");
  if (!(o.traffic.arrival_cv > 0) || o.traffic.arrival_cv > 100) throw InputError("<cli>", "--arrival-cv", "expected a CV from above 0 to 100");
  if (!(o.gpu_memory_gib > 0)) throw InputError("<cli>", "--gpu-memory-gib", "expected a positive number of GiB");
  if (!o.traffic_file.empty()) {
    for (const char* flag : {"rate", "requests", "input-tokens", "output-tokens", "arrival-cv"})
      if (values.count(flag) && !values[flag].defaulted())
        throw InputError("<cli>", std::string("--") + flag, "conflicts with --traffic (a trace gives every request)");
  } else {
    o.traffic.input_tokens = parse_token_distribution(raw.input, "--input-tokens");
    o.traffic.output_tokens = parse_token_distribution(raw.output, "--output-tokens");
  }
  if (values.count("slo")) {
    o.slo = parse_slo_spec(raw.slo);
    o.slo_given = true;
  }
}

}  // namespace

std::optional<ServeOptions> parse_serve_args(const Args& args) {
  ServeOptions o;
  RawFlags raw;
  PlanFlags plan;
  po::options_description described("Options");
  // clang-format off
  described.add_options()
      ("npu", po::value(&o.npu)->default_value(o.npu), "NPU config: preset name or JSON file")
      ("model", po::value(&o.model)->default_value(o.model), "decoder LLM from the zoo, with optional parameters (llama3.1-8b, llama2-7b:layers=8)")
      ("dtype", po::value(&o.dtype), "operand data type (default: the NPU's first)")
      ("traffic", po::value(&o.traffic_file), "request trace (JSON Lines), or stream traffic (JSON with streams); traces/README.md")
      ("rate", po::value(&o.traffic.rate_per_s)->default_value(o.traffic.rate_per_s), "generated traffic: mean arrivals per second")
      ("arrival-cv", po::value(&o.traffic.arrival_cv)->default_value(o.traffic.arrival_cv), "generated traffic: inter-arrival CV (1 Poisson, else Gamma)")
      ("requests", po::value(&raw.requests)->default_value(raw.requests), "generated traffic: number of requests")
      ("input-tokens", po::value(&raw.input)->default_value(raw.input), "prompt length: fixed:N, uniform:A:B, normal:mean=M,std=S, lognormal:mean=M,sigma=S, csv:FILE:COLUMN")
      ("output-tokens", po::value(&raw.output)->default_value(raw.output), "output length, same forms")
      ("seed", po::value(&raw.seed)->default_value(raw.seed), "seed of generated traffic and of the validation steps")
      ("scheduler", po::value(&raw.scheduler)->default_value(raw.scheduler), "vllm, sarathi or static")
      ("max-num-seqs", po::value(&raw.max_num_seqs)->default_value(raw.max_num_seqs), "sequences per iteration")
      ("max-batched-tokens", po::value(&raw.max_batched_tokens)->default_value(raw.max_batched_tokens), "tokens per iteration")
      ("prefill-chunk", po::value(&raw.prefill_chunk)->default_value(raw.prefill_chunk), "sarathi: prefill tokens of one sequence per iteration")
      ("block-tokens", po::value(&raw.block_tokens)->default_value(raw.block_tokens), "KV-cache block size in tokens")
      ("preemption", po::value(&raw.preemption)->default_value(raw.preemption), "when decode runs out of KV blocks: recompute or swap (to host memory)")
      ("host-link-gbytes-per-s", po::value(&o.host_link_gbytes_per_s)->default_value(o.host_link_gbytes_per_s), "swap: host link bandwidth per direction, both devices (PCIe 5.0 x16)")
      ("slo", po::value(&raw.slo), "ttft_p90_s=X,tpot_p99_s=Y")
      ("find-max-rate", po::bool_switch(&o.find_max_rate), "bisect the arrival rate for the highest meeting the SLO, NPU and GPU")
      ("gpu", po::value(&o.gpu)->default_value(o.gpu), "GPU baseline preset or file; 'none' for no GPU side")
      ("gpu-memory-gib", po::value(&o.gpu_memory_gib)->default_value(o.gpu_memory_gib), "the GPU's memory for weights and KV cache")
      ("set", po::value(&o.overrides)->composing(), "override a config field: npu.dram.capacity_bytes=..., gpu.tdp_w=...")
      ("drop-oversized", po::bool_switch(&o.drop_oversized), "drop (and count) requests longer than the model's context")
      ("validation-steps", po::value(&raw.validation_steps)->default_value(raw.validation_steps), "random steps simulated directly to measure the interpolation error")
      ("policy", po::value(&o.streams.policy)->default_value(o.streams.policy), "streams on the NPU: partition (cores per stream), priority or edf (time-shared, preemptive at layer boundaries)")
      ("find-max-streams", po::value(&o.streams.find_max_streams), "streams: bisect this stream's count for the most cameras with no missed deadline (NPU and GPU)")
      ("duration-s", po::value(&o.streams.duration_s)->default_value(o.streams.duration_s), "streams: frames arrive for this many simulated seconds")
      ("frame-batch", po::value(&o.streams.frame_batch)->default_value(o.streams.frame_batch), "streams: NPU batches up to N frames of one stream while deadlines hold")
      ("gpu-frame-batch", po::value(&o.streams.gpu_frame_batch)->default_value(o.streams.gpu_frame_batch), "streams: GPU dynamic batching up to N frames of one stream")
      ("preemption-cost-s", po::value(&o.streams.preemption_cost_s)->default_value(o.streams.preemption_cost_s), "streams: NPU switch time per preemption")
      ("out", po::value(&o.out_dir), "write DIR/result.json and DIR/requests.csv")
      ("timeline", po::value(&o.timeline_file), "write a Perfetto trace: iterations and requests per device")
      ("quiet", po::bool_switch(&o.quiet), "print nothing on success (sweep and regress workers)");
  // clang-format on
  add_plan_flags(described, plan);
  po::variables_map values;
  if (!parse_options(args, described, {}, values,
                     "usage: npusim serve --npu CONFIG --model MODEL [--traffic FILE | --rate R --requests N "
                     "--input-tokens DIST --output-tokens DIST] [--scheduler vllm|sarathi|static] [--slo ...] "
                     "[--find-max-rate] [--gpu GPU|none] [--out DIR]\n"
                     "       npusim serve --npu CONFIG --traffic STREAMS.json [--policy partition|priority|edf] "
                     "[--find-max-streams NAME] [--duration-s S] [--gpu GPU|none] [--out DIR]")) {
    return std::nullopt;
  }
  check_output_options(values, {{"out", OutputKind::kDirectory}, {"timeline", OutputKind::kFile}});
  finish_options(raw, values, o);
  o.multichip = plan_from_flags(values, plan);
  return o;
}

}  // namespace npusim
