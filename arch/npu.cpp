#include "arch/npu.h"

#include <stdexcept>

namespace npusim {

Npu::Npu(sc_core::sc_module_name name, const NpuConfig& config)
    : sc_core::sc_module(name),
      config_(config),
      clock_(config.clock_mhz),
      dram_(make_dram(std::string(this->name()) + ".dram", config_)),
      arbiter_("arbiter", clock_, errors_) {
  cores_.push_back(std::make_unique<NpuCore>("core0", 0, config_, clock_, *dram_, arbiter_, errors_));
}

void Npu::load(const std::vector<LayerProgram>& layers) {
  layers_ = &layers;
  cores_.front()->load(layers, stats_);
}

NpuRunStats Npu::results() {
  errors_.rethrow_if_any();
  NpuRunStats run;
  for (const auto& core : cores_) {
    if (!core->finished()) throw std::logic_error(core->describe_stall());
    run.kernel_wakeups += core->wakeups();
    run.commands_issued += core->commands_issued();
  }
  run.layers = stats_;
  run.total_cycles = stats_.empty() ? 0 : stats_.back().end_cycle;
  run.arbiter_batches = arbiter_.batches();
  return run;
}

}  // namespace npusim
