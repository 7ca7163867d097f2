// Npu: the top-level SystemC model ("npu"): shared DRAM, the issue arbiter and the cores
// ("npu.core0", with .dma, .array, .vector and the .sram scratchpad). One core for now.
#pragma once

#include <memory>
#include <systemc>
#include <vector>

#include "arch/core/clock_domain.h"
#include "arch/core/error_sink.h"
#include "arch/core/issue_arbiter.h"
#include "arch/core/npu_core.h"
#include "arch/layer_stats.h"
#include "arch/memory/dram.h"
#include "sim/core/npu_config.h"
#include "workloads/mapper/command_stream.h"

namespace npusim {

class Npu final : public sc_core::sc_module {
 public:
  // The kernel's time resolution must already be fixed (simulate_npu does it).
  Npu(sc_core::sc_module_name name, const NpuConfig& config);

  // Binds the layers (kept by reference: they must outlive the simulation); before sc_start.
  void load(const std::vector<LayerProgram>& layers);
  // After sc_start returns: rethrows an error raised inside the model, throws std::logic_error naming
  // the layer when the command stream deadlocked, else returns the per-layer stats.
  NpuRunStats results();

  const ClockDomain& clock() const { return clock_; }
  const DramModel& dram() const { return *dram_; }

 private:
  NpuConfig config_;
  ClockDomain clock_;
  ErrorSink errors_;
  std::unique_ptr<DramModel> dram_;
  IssueArbiter arbiter_;
  std::vector<std::unique_ptr<NpuCore>> cores_;
  const std::vector<LayerProgram>* layers_ = nullptr;
  std::vector<LayerStats> stats_;
};

}  // namespace npusim
