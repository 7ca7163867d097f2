#include "sim/serve/stream_setup.h"

#include <fmt/format.h>

#include <algorithm>

#include "arch/spec/input_error.h"
#include "sim/run/workload_loader.h"
#include "workloads/workload_spec.h"

namespace npusim {
namespace {

void check_model(const std::string& model, DType dtype, const std::string& file, const std::string& path) {
  if (parse_workload_spec(model).params.count("batch"))
    throw InputError(file, path,
                     fmt::format("batch= is set by the frame scheduler; drop it from '{}'", model));
  try {
    load_workload(WorkloadRequest{model, 0, std::nullopt}, dtype);
  } catch (const InputError& e) {
    throw InputError(file, path, fmt::format("'{}' is not a model npusim can load ({})", model, e.message()));
  }
}

size_t model_index(const std::vector<std::string>& models, const std::string& model) {
  return static_cast<size_t>(std::find(models.begin(), models.end(), model) - models.begin());
}

// partition: explicit cores as given, the rest of the chip shared evenly by the streams without any.
std::vector<uint32_t> assign_cores(const std::vector<StreamSpec>& streams, const std::string& file,
                                   uint32_t chip, bool partition) {
  uint64_t explicit_cores = 0;
  uint32_t unassigned = 0;
  for (const StreamSpec& s : streams) {
    if (s.cores > chip)
      throw InputError(file, fmt::format("streams[{}].cores", s.index),
                       fmt::format("{} cores is beyond the chip's {} (npu.cores)", s.cores, chip));
    explicit_cores += s.cores;
    unassigned += s.cores == 0 ? 1 : 0;
  }
  std::vector<uint32_t> cores(streams.size(), chip);
  if (!partition) return cores;
  const uint64_t needed = explicit_cores + unassigned;
  if (needed > chip) {
    const StreamSpec& last =
        *std::find_if(streams.rbegin(), streams.rend(), [](const StreamSpec& s) { return s.cores > 0; });
    throw InputError(
        file, fmt::format("streams[{}].cores", last.index),
        fmt::format("the partitions need {} cores (at least 1 per stream without cores); the chip has {}",
                    needed, chip));
  }
  const uint32_t rest = chip - static_cast<uint32_t>(explicit_cores);
  uint32_t handed = 0;
  for (size_t i = 0; i < streams.size(); ++i) {
    if (streams[i].cores > 0) {
      cores[i] = streams[i].cores;
      continue;
    }
    cores[i] = rest / unassigned + (handed < rest % unassigned ? 1 : 0);
    handed += 1;
  }
  return cores;
}

void check_options(const StreamServeOptions& o) {
  if (o.policy != "partition" && o.policy != "priority" && o.policy != "edf")
    throw InputError("<cli>", "--policy", "'" + o.policy + "' is not one of: partition, priority, edf");
  if (!(o.duration_s > 0) || o.duration_s > 1e7)
    throw InputError("<cli>", "--duration-s", "expected seconds > 0");
  if (o.frame_batch < 1 || o.frame_batch > 256)
    throw InputError("<cli>", "--frame-batch", "expected 1 to 256");
  if (o.gpu_frame_batch < 1 || o.gpu_frame_batch > 256)
    throw InputError("<cli>", "--gpu-frame-batch", "expected 1 to 256");
  if (!(o.preemption_cost_s >= 0) || o.preemption_cost_s > 1.0)
    throw InputError("<cli>", "--preemption-cost-s", "expected seconds from 0 to 1");
}

}  // namespace

StreamPlan plan_streams(const std::vector<StreamSpec>& streams, const std::string& file,
                        const StreamServeOptions& options, uint32_t chip_cores,
                        const std::string& npu_dtype) {
  check_options(options);
  const DType dtype = *parse_dtype(npu_dtype);
  StreamPlan plan;
  plan.streams = streams;
  plan.chip_cores = chip_cores;
  plan.partition = options.policy == "partition";
  for (const StreamSpec& s : streams) {
    check_model(s.model, dtype, file, fmt::format("streams[{}].model", s.index));
    for (size_t k = 0; k < s.pipeline.size(); ++k)
      check_model(s.pipeline[k].model, dtype, file,
                  fmt::format("streams[{}].pipeline[{}].model", s.index, k));
  }
  plan.cores = assign_cores(streams, file, chip_cores, plan.partition);
  StreamCostRequest& costs = plan.costs;
  costs.models = stream_models(streams);
  costs.npu_max_batch.assign(costs.models.size(), 1);
  costs.gpu_max_batch.assign(costs.models.size(), 1);
  costs.chip_cores = chip_cores;
  for (size_t i = 0; i < streams.size(); ++i) {
    const StreamSpec& s = streams[i];
    std::vector<size_t> stages{model_index(costs.models, s.model)};
    costs.npu_max_batch[stages[0]] = std::max(costs.npu_max_batch[stages[0]], options.frame_batch);
    costs.gpu_max_batch[stages[0]] = std::max(costs.gpu_max_batch[stages[0]], options.gpu_frame_batch);
    for (const PipelineStage& stage : s.pipeline) {
      const size_t m = model_index(costs.models, stage.model);
      stages.push_back(m);
      costs.npu_max_batch[m] =
          std::max(costs.npu_max_batch[m], options.frame_batch * std::max(1u, stage.objects.max));
      costs.gpu_max_batch[m] =
          std::max(costs.gpu_max_batch[m], options.gpu_frame_batch * std::max(1u, stage.objects.max));
    }
    plan.stage_models.push_back(stages);
    if (std::find(costs.core_counts.begin(), costs.core_counts.end(), plan.cores[i]) ==
        costs.core_counts.end())
      costs.core_counts.push_back(plan.cores[i]);
  }
  return plan;
}

}  // namespace npusim
