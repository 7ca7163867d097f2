// NpuCore: one NPU core (scratchpad, DMA, MAC array, vector unit) executing LayerPrograms.
// Each layer's commands are split into per-unit in-order queues; each unit's SC_THREAD issues its
// next command once the unit is free and the command's dependencies are finished. Finish times are
// known at issue (every resource is a reservation): a unit posts its command to the arbiter at the
// issue cycle and sleeps until the next command could issue, so it wakes about once or twice per
// command (plus once per dependency not yet issued). Layers run in order with a barrier between them;
// on a multi-core NPU the barrier spans every core (LayerBarrier) and core i runs stream i of a layer.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <systemc>
#include <vector>

#include "arch/compute/systolic_array.h"
#include "arch/compute/vector_unit.h"
#include "arch/core/clock_domain.h"
#include "arch/core/command_unit.h"
#include "arch/core/error_sink.h"
#include "arch/core/issue_arbiter.h"
#include "arch/core/layer_barrier.h"
#include "arch/core/scoreboard.h"
#include "arch/dma/dma_engine.h"
#include "arch/isa/layer_feed.h"
#include "arch/isa/layer_stats.h"
#include "arch/memory/sram.h"
#include "arch/noc/memory_fabric.h"
#include "arch/spec/npu_config.h"
#include "arch/isa/span_recorder.h"

namespace npusim {

class NpuCore final : public sc_core::sc_module, public QueueRunner, public IssueClient {
 public:
  SC_HAS_PROCESS(NpuCore);
  // `barrier` spans all cores; nullptr on a single-core NPU (the core then only waits for itself).
  NpuCore(sc_core::sc_module_name name, uint32_t index, const NpuConfig& config, const ClockDomain& clock,
          MemoryFabric& fabric, IssueArbiter& arbiter, LayerBarrier* barrier, ErrorSink& errors,
          SpanRecorder* recorder = nullptr);

  // Binds the layers to run and where their stats go (one entry per layer); before sc_start. With a
  // `feed`, the core calls its prepare before each layer and its finished after it (past the barrier).
  void load(const std::vector<LayerProgram>& layers, std::vector<LayerStats>& stats,
            const LayerFeed* feed = nullptr);

  bool finished() const { return finished_; }
  // Layers this core has left behind (for progress reports; the one in flight does not count).
  size_t layers_finished() const { return finished_ ? (layers_ == nullptr ? 0 : layers_->size()) : layer_; }
  // Some unit has commands of the current layer it never issued (as opposed to waiting at the barrier).
  bool stuck() const;
  // After a stalled simulation: which layer and commands never issued.
  std::string describe_stall();
  uint64_t wakeups() const { return wakeups_; }
  uint64_t commands_issued() const { return commands_issued_; }

  void run_unit(UnitKind kind, CommandExecutor& executor) override;
  void grant(uint32_t unit, Cycles now) override;

 private:
  struct UnitState {
    CommandExecutor* executor = nullptr;
    std::vector<uint32_t> queue;              // command ids of the current layer, in program order
    size_t cursor = 0;                        // next queue entry to issue
    sc_core::sc_event wake;                   // layer start, dependency issued, or grant
    uint32_t binding_id = Scoreboard::kNone;  // the dependency that released the current command
    EngineTimeline timeline;                  // MAC array and vector unit only
    uint32_t track = 0;                       // the unit's SpanRecorder track (with a recorder)
    uint32_t stall_track = 0;                 // engines: their idle spans' track, "<unit>.stalls"
  };

  void controller();
  void start_layer(size_t index);
  void finish_layer(Cycles end);
  // A granted command's [issue, finish) on its unit's track (only with a recorder).
  void record_span(uint32_t track, const Command& command, Cycles start, Cycles finish);
  // An engine's idle time [idle_from, now) before a command, split as the stall counters split it: the
  // layer's first gap is its fill; otherwise memory time comes first, then the dependency's.
  void record_stall(const UnitState& unit, Cycles idle_from, Cycles now, const GapSplit& gap);
  uint32_t rank(uint32_t unit) const { return index_ * kUnitsPerCore + unit; }
  static bool is_engine(uint32_t slot) {
    return slot == static_cast<uint32_t>(UnitKind::kArray) ||
           slot == static_cast<uint32_t>(UnitKind::kVector);
  }

  uint32_t index_;
  const ClockDomain& clock_;
  IssueArbiter& arbiter_;
  LayerBarrier* barrier_;
  ErrorSink& errors_;
  SpanRecorder* recorder_;  // nullptr: no timeline
  Sram sram_;
  DmaEngine dma_;
  SystolicArray array_;
  VectorUnit vector_;

  std::array<UnitState, kUnitsPerCore> units_;
  Scoreboard scoreboard_;
  const std::vector<LayerProgram>* layers_ = nullptr;
  const LayerFeed* feed_ = nullptr;
  std::vector<LayerStats>* stats_ = nullptr;
  size_t layer_ = 0;
  const CommandStream* stream_ = nullptr;  // this core's commands of the current layer
  CommandStream idle_stream_;              // for layers split over fewer cores than this one's index
  Cycles layer_start_ = 0;
  std::vector<TimeInterval> dma_in_flight_;
  uint32_t active_units_ = 0;
  sc_core::sc_event layer_done_;
  bool finished_ = false;
  uint64_t wakeups_ = 0;
  uint64_t commands_issued_ = 0;
};

}  // namespace npusim
