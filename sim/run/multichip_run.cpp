// LLM mode on a multi-chip system: plan checks and per-chip memory, the shard's simulation, and the
// passes placed on the system's links (NPU side, and the GPU side from the same shard's GPU times).
#include "sim/run/multichip_run.h"

#include <fmt/format.h>

#include <iostream>

#include "analysis/multichip/pass_segments.h"
#include "arch/spec/input_error.h"
#include "sim/io/atomic_file.h"
#include "sim/io/config_loader.h"
#include "sim/run/multichip_report.h"
#include "sim/run/multichip_timeline.h"
#include "workloads/zoo/model_zoo.h"

namespace npusim {
namespace {

double gigabytes(Bytes bytes) { return static_cast<double>(bytes) / 1e9; }

uint32_t run_batch(const RunOptions& options, const WorkloadSpec& spec) {
  if (options.batch > 0) return options.batch;
  return param_positive_u32(spec, "batch", 1);
}

// Weights of the stage's layers (embedding and head included) and the KV cache of every micro-batch
// the chip holds after the last decode step must fit the chip's DRAM.
ChipMemory check_chip_memory(const ShardPlan& shard, const NpuConfig& chip, DType dtype, uint64_t tokens) {
  WorkloadSpec one = shard.spec;
  one.params["seq"] = "1";
  const Workload workload = build_zoo_workload(one, dtype);
  ChipMemory memory;
  memory.weight_bytes = workload_parameters(workload) * dtype_bytes(dtype);
  memory.kv_cache_bytes = workload_kv_cache_bytes_per_token(workload) * shard.micro_batches * tokens;
  memory.capacity_bytes = chip.dram.capacity_bytes;
  const Bytes needed = memory.weight_bytes + memory.kv_cache_bytes;
  if (needed > memory.capacity_bytes) {
    throw_plan_does_not_fit(memory.weight_bytes, memory.kv_cache_bytes, memory.capacity_bytes);
  }
  return memory;
}

uint64_t prompt_tokens(const LlmOptions& llm, const ShardPlan& shard, DType dtype) {
  if (llm.prefill_tokens > 0) return llm.prefill_tokens;
  for (const auto& op : build_zoo_workload(shard.spec, dtype).ops) {
    if (const auto* attention = std::get_if<AttentionParams>(&op.params)) return attention->q_len;
  }
  return 1;
}

std::vector<OpTime> op_times(const RunReport& report, const WorkloadSummary& workload, const char* column) {
  std::vector<OpTime> ops;
  for (size_t row = workload.first_layer; row < workload.end_layer; ++row) {
    const auto& layer = report.layers[row];
    if (!layer.contains(column) || !layer[column].is_number()) return {};
    ops.push_back(OpTime{layer["name"].get<std::string>(), layer[column].get<double>()});
  }
  return ops;
}

// Prefill and each sampled decode step on the system, from the report's `column` op times.
SystemRun place_passes(const RunReport& report, const SystemConfig& system, const ParallelPlan& plan,
                       const PlanContext& context, const char* column, bool record_spans = false) {
  SystemRun run;
  for (size_t k = 0; k < report.workloads.size(); ++k) {
    const std::vector<OpTime> ops = op_times(report, report.workloads[k], column);
    if (ops.empty()) return SystemRun{};
    PassShape shape;
    shape.sequences = context.shard.micro_batch;
    shape.tokens = shape.sequences * (k == 0 ? context.prefill_tokens : 1);
    shape.hidden = context.shard.model.d_model;
    shape.vocab = context.shard.model.vocab;
    shape.experts_per_token = context.shard.model.experts_per_token;
    shape.element_bytes = dtype_bytes(report.workloads[k].dtype);
    run.passes.push_back(
        run_system_pass(system, plan, context.shard.micro_batches, pass_segments(ops, plan, shape), record_spans));
  }
  return run;
}

std::vector<std::string> pass_names(const RunReport& report) {
  std::vector<std::string> names{"prefill"};
  for (uint64_t step : report.totals["llm"]["simulated_decode_steps"].get<std::vector<uint64_t>>()) {
    names.push_back("decode step " + std::to_string(step));
  }
  return names;
}

}  // namespace

void throw_plan_does_not_fit(Bytes weight_bytes, Bytes kv_cache_bytes, Bytes capacity_bytes) {
  const Bytes needed = weight_bytes + kv_cache_bytes;
  throw InputError("<cli>", "--tp",
                   fmt::format("the plan does not fit each chip's memory by {:.2f} GB: {:.2f} GB of weights and "
                               "{:.2f} GB of KV cache per chip, the chip has {:.2f} GB (npu.dram.capacity_bytes); "
                               "use more chips (--tp, --pp) or a smaller dtype",
                               gigabytes(needed - capacity_bytes), gigabytes(weight_bytes), gigabytes(kv_cache_bytes),
                               gigabytes(capacity_bytes)));
}

RunReport execute_multichip_llm_run(const RunOptions& options, const LlmOptions& llm, const MultichipOptions& mc,
                                    std::string* timeline_json) {
  std::vector<std::string> overrides = options.overrides;
  if (mc.chips > 0) overrides.push_back("system.chips=" + std::to_string(mc.chips));
  PlanContext context;
  context.system = resolve_system_config(mc.system, overrides, &context.system_source);
  RunOptions shard_run = options;
  shard_run.timeline_file.clear();  // the system's timeline, not the shard's
  if (!mc.npu_given) {
    if (context.system.npu.empty()) {
      throw InputError("<cli>", "--system", "'" + mc.system + "' is a GPU system; give --npu for the chips");
    }
    shard_run.npu = context.system.npu;
  }
  if (options.workloads.size() != 1) {
    throw InputError("<cli>", "--workload", "a multi-chip LLM run takes exactly one decoder workload");
  }
  const WorkloadSpec spec = parse_workload_spec(options.workloads.front());
  std::string chip_file;
  const NpuConfig chip = resolve_npu_config(shard_run.npu, options.overrides, &chip_file);
  const DType dtype = resolve_dtype(options, chip);
  context.shard = plan_shard(spec, run_batch(options, spec), mc.plan, context.system.chips);
  context.prefill_tokens = prompt_tokens(llm, context.shard, dtype);
  context.memory = check_chip_memory(context.shard, chip, dtype, context.prefill_tokens + llm.decode_tokens);
  shard_run.workloads = {format_workload_spec(context.shard.spec)};
  shard_run.batch = 0;
  RunReport report = execute_llm_run(shard_run, llm);

  const bool record = timeline_json != nullptr && !options.timeline_file.empty();
  const SystemRun npu = place_passes(report, context.system, mc.plan, context, "time_s", record);
  std::optional<SystemRun> gpu;
  if (!mc.gpu_system.empty()) {
    context.gpu_system = resolve_system_config(mc.gpu_system, overrides, &context.gpu_system_source);
    gpu = place_passes(report, context.gpu_system, mc.plan, context, "gpu_time_s");
    context.gpu_idle_w = resolve_gpu_baseline(options.gpu, options.overrides).config.idle_w;
    if (gpu->passes.empty()) throw InputError("<cli>", "--gpu-system", "needs a GPU baseline (--gpu)");
  }
  add_system_report(report, mc.plan, context, llm, npu, gpu);
  if (record) *timeline_json = multichip_timeline_json(npu, mc.plan, pass_names(report));
  return report;
}

int multichip_llm_run_command(const RunOptions& options, const LlmOptions& llm, const MultichipOptions& mc) {
  std::string timeline;
  const RunReport report = execute_multichip_llm_run(options, llm, mc, &timeline);
  if (!options.quiet) std::cout << report_to_table(report);
  std::cout << system_summary_lines(report.totals) << std::flush;
  if (!options.out_dir.empty()) write_result_files(report, options.out_dir);
  if (!options.timeline_file.empty()) write_file_atomically(options.timeline_file, timeline);
  return 0;
}

}  // namespace npusim
