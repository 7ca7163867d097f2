// `npusim serve --system S --tp/--pp/--ep/--dp`: serving on a multi-chip system. One TP/EP shard of the
// model (all its layers) gets the step-cost tables as a single chip would; the plan's collectives for
// each step's tokens and sequences are added over the system's links (analysis/multichip/
// plan_step_costs.h); each chip's KV cache holds its stage's layers; dp replicas share the request
// stream (analysis/multichip/replica_serving.h). The GPU side runs the same plan on --gpu-system.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "analysis/multichip/plan_step_costs.h"
#include "sim/serve/serve_report.h"
#include "sim/serve/serve_run.h"
#include "sim/serve/serve_setup.h"

namespace npusim {

struct ServePlan {
  MultichipOptions options;
  SystemConfig system;
  std::string system_source;
  std::optional<SystemConfig> gpu_system;
  std::string gpu_system_source;
  ShardPlan shard;
  std::string chip_npu;     // the chips' NPU preset (the system's unless --npu)
  std::string shard_model;  // the TP/EP shard with all the model's layers: what one chip's step costs
  std::string stage_model;  // the busiest stage's shard: what one chip holds in memory
  std::unique_ptr<PlanCommunication> npu_links, gpu_links;
  std::optional<PlanStepCosts> npu_costs, gpu_costs;  // each device's step costs over its links
};

// None without --system; InputError for a plan the model, the systems or the options cannot take.
std::optional<ServePlan> resolve_serve_plan(const ServeOptions& options);

// The options one chip is served with: its NPU preset and the shard as the model.
ServeOptions shard_serve_options(const ServeOptions& options, const ServePlan& plan);

// Weights and KV bytes per token of one chip (its stage's layers); the step costs keep every layer.
// Weights beyond the chip's DRAM are an InputError at --tp saying by how much.
void use_stage_memory(ModelFacts& facts, const ServePlan& plan, const ServeOptions& options,
                      const std::string& npu_dtype, Bytes chip_capacity_bytes);

// The links of both systems, for activations of `dtype`.
void attach_plan_links(ServePlan& plan, DType dtype);

// result.json's "system": the plan, both systems, the shard, and per device the communication time and
// link energy of the iterations served.
nlohmann::ordered_json serve_system_json(const ServePlan& plan, const std::vector<DeviceServing>& served);

// result.json's "system" and "model" (the whole model, where the header names the shard).
void add_plan_results(nlohmann::ordered_json& result, const ServePlan& plan, const std::vector<DeviceServing>& served,
                      const std::string& model);

}  // namespace npusim
