#include "sim/serve/stream_schedule.h"

#include <algorithm>
#include <stdexcept>

#include "analysis/serving/serving_engine.h"

namespace npusim {
namespace {

// Streams alone leave the engine no LLM iteration to price: only its idle power is asked for.
class IdlePowerOnly : public StepCostModel {
 public:
  explicit IdlePowerOnly(double idle_w) : idle_w_(idle_w) {}
  StepCost cost(const StepShape&) const override {
    throw std::logic_error("streams: no LLM iteration to price");
  }
  double idle_power_w() const override { return idle_w_; }

 private:
  double idle_w_;
};

struct PartRun {
  FrameScheduler frames;
  double end_s = 0.0, idle_energy_j = 0.0;
};

}  // namespace

FrameSchedulerConfig frame_scheduler_config(const StreamDeviceSetup& setup) {
  FrameSchedulerConfig c;
  c.policy = setup.gpu ? FramePolicy::kFifo : setup.policy;
  c.preemptive = !setup.gpu;
  c.max_batch = setup.max_batch;
  c.deadline_checked = !setup.gpu;
  c.preemption_cost_s = setup.preemption_cost_s;
  c.duration_s = setup.duration_s;
  c.seed = setup.seed;
  return c;
}

namespace {

// One engine run of `indices` of the streams on a table, its idle power `idle_w`.
PartRun run_part(const std::vector<StreamSpec>& streams, const StreamPlan& plan,
                 const std::vector<size_t>& indices, const FrameCostTable& table, double idle_w,
                 const StreamDeviceSetup& setup) {
  std::vector<StreamSpec> part;
  std::vector<std::vector<size_t>> stages;
  for (size_t i : indices) {
    part.push_back(streams[i]);
    stages.push_back(plan.stage_models[i]);
  }
  PartRun out{FrameScheduler(part, stages, table, frame_scheduler_config(setup))};
  const IdlePowerOnly idle(idle_w);
  const ServingRun run = run_serving({}, SchedulerConfig{}, idle, false, &out.frames);
  out.end_s = run.duration_s;
  out.idle_energy_j = run.idle_energy_j;
  return out;
}

void add_part(StreamDeviceRun& device, const PartRun& part, const std::vector<size_t>& indices,
              double share) {
  for (size_t k = 0; k < indices.size(); ++k) device.records[indices[k]] = part.frames.records()[k];
  device.busy_s += part.frames.busy_s() * share;
  device.energy_j += part.frames.energy_j() + part.idle_energy_j;
}

}  // namespace

StreamDeviceRun schedule_streams(const StreamPlan& plan, const std::vector<StreamSpec>& streams,
                                 const StreamCostTables& tables, const StreamDeviceSetup& setup) {
  StreamDeviceRun device;
  device.streams = streams;
  device.records.resize(streams.size());
  device.cores = setup.gpu ? std::vector<uint32_t>(streams.size(), 0) : plan.cores;
  std::vector<std::vector<size_t>> groups;
  std::vector<double> shares;
  if (setup.partition && !setup.gpu) {
    for (size_t i = 0; i < streams.size(); ++i) {
      groups.push_back({i});
      shares.push_back(static_cast<double>(plan.cores[i]) / static_cast<double>(plan.chip_cores));
    }
  } else {
    groups.emplace_back();
    for (size_t i = 0; i < streams.size(); ++i) groups.back().push_back(i);
    shares.push_back(1.0);
  }
  std::vector<PartRun> parts;
  double held_share = 0.0;
  for (size_t g = 0; g < groups.size(); ++g) {
    const FrameCostTable& table =
        setup.gpu ? tables.gpu : tables.npu_by_cores.at(device.cores[groups[g].front()]);
    parts.push_back(run_part(streams, plan, groups[g], table, setup.idle_w * shares[g], setup));
    add_part(device, parts.back(), groups[g], shares[g]);
    device.span_s = std::max({device.span_s, parts.back().end_s, setup.duration_s});
    held_share += shares[g];
  }
  // Each part idles from its last completion to the end of the run; unheld cores idle all along.
  for (size_t g = 0; g < parts.size(); ++g)
    device.energy_j += setup.idle_w * shares[g] * (device.span_s - parts[g].end_s);
  device.energy_j += setup.idle_w * std::max(0.0, 1.0 - held_share) * device.span_s;
  return device;
}

}  // namespace npusim
