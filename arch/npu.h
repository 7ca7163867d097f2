// Npu: the top-level SystemC model ("npu"): shared DRAM and the NoC in front of it (MemoryFabric,
// with the optional global SRAM), the issue arbiter, the layer barrier and the cores ("npu.core0",
// with .dma, .array, .vector and the .sram scratchpad).
#pragma once

#include <memory>
#include <systemc>
#include <vector>

#include "arch/core/clock_domain.h"
#include "arch/core/error_sink.h"
#include "arch/core/issue_arbiter.h"
#include "arch/core/layer_barrier.h"
#include "arch/core/npu_core.h"
#include "arch/isa/layer_stats.h"
#include "arch/memory/dram.h"
#include "arch/noc/memory_fabric.h"
#include "arch/spec/npu_config.h"
#include "arch/isa/span_recorder.h"
#include "arch/isa/command_stream.h"
#include "arch/isa/layer_feed.h"

namespace npusim {

class Npu final : public sc_core::sc_module {
 public:
  // The kernel's time resolution must already be fixed (simulate_npu does it). `recorder` (optional,
  // must outlive the simulation) receives one track per core unit, DRAM channel and NoC link.
  Npu(sc_core::sc_module_name name, const NpuConfig& config, SpanRecorder* recorder = nullptr);

  // Binds the layers (kept by reference: they must outlive the simulation); before sc_start. With a
  // `feed` (which must outlive it too), each layer is prepared once, before the first core starts it,
  // and reported finished once, when the last core is past it.
  void load(const std::vector<LayerProgram>& layers, const LayerFeed* feed = nullptr);
  // After sc_start returns: rethrows an error raised inside the model, throws std::logic_error naming
  // the layer when the command stream deadlocked, else returns the per-layer stats (over all cores).
  NpuRunStats results();
  // Layers every core has finished, while the simulation runs (progress reports).
  size_t layers_finished() const;

  const ClockDomain& clock() const { return clock_; }
  const DramModel& dram() const { return *dram_; }
  const MemoryFabric& fabric() const { return *fabric_; }

 private:
  NpuConfig config_;
  ClockDomain clock_;
  ErrorSink errors_;
  std::unique_ptr<DramModel> dram_;
  std::unique_ptr<MemoryFabric> fabric_;
  IssueArbiter arbiter_;
  std::unique_ptr<LayerBarrier> barrier_;  // only with more than one core
  std::vector<std::unique_ptr<NpuCore>> cores_;
  const std::vector<LayerProgram>* layers_ = nullptr;
  // With a feed: the hooks the cores call, which call the feed's once per layer.
  const LayerFeed* feed_ = nullptr;
  LayerFeed core_feed_;
  size_t layers_prepared_ = 0;
  std::vector<uint32_t> cores_finished_;  // [layer]
  std::vector<std::vector<LayerStats>> core_stats_;  // [core][layer]
};

// Per-layer stats of a multi-core layer from each core's: counters summed; the time split from the
// core that finished last (the lowest index on a tie); end = the barrier (latest end).
LayerStats combine_core_stats(const std::vector<const LayerStats*>& per_core);

}  // namespace npusim
