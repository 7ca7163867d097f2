// Serving on a multi-chip system: resolving the plan, one chip's options and memory, and the report.
#include "sim/serve/serve_plan.h"

#include <fmt/format.h>

#include "arch/spec/input_error.h"
#include "workloads/zoo/model_zoo.h"

namespace npusim {
namespace {

std::string without_batch(WorkloadSpec spec, uint32_t layers) {
  spec.params.erase("batch");
  spec.params["layers"] = std::to_string(layers);
  return format_workload_spec(spec);
}

void check_serve_flags(const MultichipOptions& mc, const ServeOptions& options) {
  if (mc.plan.micro_batches > 1) {
    throw InputError("<cli>", "--micro-batches", "applies to run; serve runs one iteration at a time per replica");
  }
  if (mc.plan.dp > 1 && options.find_max_rate) {
    throw InputError("<cli>", "--find-max-rate", "is not modelled with --dp > 1 yet; search one replica (--dp 1)");
  }
}

std::vector<std::string> one_layer_op_names(const std::string& shard_model, DType dtype) {
  WorkloadSpec spec = parse_workload_spec(shard_model);
  spec.params["layers"] = "1";
  spec.params["seq"] = "1";
  std::vector<std::string> names;
  for (const Operator& op : build_zoo_workload(spec, dtype).ops) names.push_back(op.name);
  return names;
}

nlohmann::ordered_json communication_json(const PlanCommunication& links, const ServingRun& run) {
  double busy_s = 0.0, communication_s = 0.0, link_energy_j = 0.0;
  for (const IterationRecord& it : run.iterations) {
    const StepCommunication step =
        links.step(it.prefill_tokens + it.decode_seqs, static_cast<uint64_t>(it.prefill_seqs) + it.decode_seqs);
    busy_s += it.time_s;
    communication_s += step.time_s;
    link_energy_j += step.link_energy_j;
  }
  return {{"busy_s", busy_s},
          {"communication_exposed_s", communication_s},
          {"communication_fraction", busy_s > 0 ? communication_s / busy_s : 0.0},
          {"link_energy_j", link_energy_j},
          {"note", "summed over every replica's iterations; TP and EP collectives and stage sends sit on the "
                   "critical path (none overlapped)"}};
}

nlohmann::ordered_json system_json(const SystemConfig& system, const std::string& source) {
  return {{"name", system.name}, {"source", source}, {"config", system_config_to_json(system)}};
}

}  // namespace

std::optional<ServePlan> resolve_serve_plan(const ServeOptions& options) {
  if (!options.multichip) return std::nullopt;
  ServePlan plan;
  plan.options = *options.multichip;
  const MultichipOptions& mc = plan.options;
  check_serve_flags(mc, options);
  std::vector<std::string> overrides = options.overrides;
  if (mc.chips > 0) overrides.push_back("system.chips=" + std::to_string(mc.chips));
  plan.system = resolve_system_config(mc.system, overrides, &plan.system_source);
  plan.chip_npu = mc.npu_given ? options.npu : plan.system.npu;
  if (plan.chip_npu.empty()) {
    throw InputError("<cli>", "--system", "'" + mc.system + "' is a GPU system; give --npu for the chips");
  }
  const WorkloadSpec spec = parse_workload_spec(options.model);
  plan.shard = plan_shard(spec, mc.plan.dp, mc.plan, plan.system.chips);
  plan.shard_model = without_batch(plan.shard.spec, plan.shard.model.layers);
  plan.stage_model = without_batch(plan.shard.spec, plan.shard.stage_layers);
  if (!mc.gpu_system.empty()) {
    plan.gpu_system = resolve_system_config(mc.gpu_system, overrides, &plan.gpu_system_source);
    if (mc.plan.chips() > plan.gpu_system->chips) {
      throw InputError("<cli>", "--gpu-system",
                       fmt::format("the plan needs tp*pp*dp = {} chips, '{}' has {}", mc.plan.chips(),
                                   plan.gpu_system->name, plan.gpu_system->chips));
    }
  }
  return plan;
}

ServeOptions shard_serve_options(const ServeOptions& options, const ServePlan& plan) {
  ServeOptions shard = options;
  shard.npu = plan.chip_npu;
  shard.model = plan.shard_model;
  if (!plan.gpu_system) shard.gpu = "none";  // one GPU cannot stand in for a plan's server
  return shard;
}

void use_stage_memory(ModelFacts& facts, const ServePlan& plan, const ServeOptions& options,
                      const std::string& npu_dtype, Bytes chip_capacity_bytes) {
  const ModelFacts stage =
      read_model_facts(plan.stage_model, options.dtype, npu_dtype, options.scheduler.max_batched_tokens);
  if (stage.weight_bytes >= chip_capacity_bytes) throw_plan_does_not_fit(stage.weight_bytes, 0, chip_capacity_bytes);
  facts.weight_bytes = stage.weight_bytes;
  facts.kv_bytes_per_token = stage.kv_bytes_per_token;
}

void attach_plan_links(ServePlan& plan, DType dtype) {
  const std::vector<std::string> ops = one_layer_op_names(plan.shard_model, dtype);
  const uint32_t layers = plan.shard.model.layers;
  plan.npu_links = std::make_unique<PlanCommunication>(plan.system, plan.options.plan, plan.shard.model, ops,
                                                       layers, dtype_bytes(dtype));
  if (plan.gpu_system) {
    plan.gpu_links = std::make_unique<PlanCommunication>(*plan.gpu_system, plan.options.plan, plan.shard.model,
                                                         ops, layers, dtype_bytes(dtype));
  }
}

nlohmann::ordered_json serve_system_json(const ServePlan& plan, const std::vector<DeviceServing>& served) {
  const ParallelPlan& p = plan.options.plan;
  nlohmann::ordered_json out = system_json(plan.system, plan.system_source);
  out["chip_npu"] = plan.chip_npu;
  out["chips_used"] = p.chips();
  out["plan"] = {{"tp", p.tp},
                 {"pp", p.pp},
                 {"ep", p.ep},
                 {"dp", p.dp},
                 {"stage_layers", plan.shard.stage_layers},
                 {"expert_load_pct", p.expert_load_pct},
                 {"all_reduce", p.tree_all_reduce ? "tree (recursive halving-doubling)" : "ring"},
                 {"shard_model", plan.shard_model},
                 {"stage_model", plan.stage_model}};
  if (plan.gpu_system) out["gpu_system"] = system_json(*plan.gpu_system, plan.gpu_system_source);
  for (const DeviceServing& device : served) {
    const PlanCommunication* links = device.device == "gpu" ? plan.gpu_links.get() : plan.npu_links.get();
    if (links != nullptr) out["communication"][device.device] = communication_json(*links, device.run);
  }
  out["notes"] = {
      "serving metrics are the whole system's: energy counts every chip (tp x pp per replica) and the links",
      "kv_cache is one chip's: its stage's layers of every sequence; weights are its stage's shard",
      "pipeline stages run one iteration at a time (no iterations in flight on several stages)",
      "dp replicas take the requests round robin in arrival order"};
  return out;
}

void add_plan_results(nlohmann::ordered_json& result, const ServePlan& plan, const std::vector<DeviceServing>& served,
                      const std::string& model) {
  result["model"] = model;
  result["shard_model"] = plan.shard_model;
  result["system"] = serve_system_json(plan, served);
}

}  // namespace npusim
