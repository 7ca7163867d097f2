#include "arch/core/npu_core.h"

#include <algorithm>
#include <sstream>

namespace npusim {

NpuCore::NpuCore(sc_core::sc_module_name name, uint32_t index, const NpuConfig& config,
                 const ClockDomain& clock, MemoryFabric& fabric, IssueArbiter& arbiter, LayerBarrier* barrier,
                 ErrorSink& errors, SpanRecorder* recorder)
    : sc_core::sc_module(name),
      index_(index),
      clock_(clock),
      arbiter_(arbiter),
      barrier_(barrier),
      errors_(errors),
      recorder_(recorder),
      sram_(std::string(this->name()) + ".sram", config.sram),
      dma_("dma", index, config.dma, config.dram.interleave_bytes, sram_, fabric, *this),
      array_("array", config.array, config.timing_mode, sram_, *this),
      vector_("vector", config.vector, sram_, *this),
      layer_done_("layer_done") {
  units_[static_cast<size_t>(UnitKind::kLoad)].executor = &dma_.loads();
  units_[static_cast<size_t>(UnitKind::kStore)].executor = &dma_.stores();
  units_[static_cast<size_t>(UnitKind::kArray)].executor = &array_;
  units_[static_cast<size_t>(UnitKind::kVector)].executor = &vector_;
  if (recorder_ != nullptr) {
    static const char* const kTrackSuffix[kUnitsPerCore] = {".dma.load", ".dma.store", ".array", ".vector"};
    for (uint32_t slot = 0; slot < kUnitsPerCore; ++slot)
      units_[slot].track = recorder_->add_track(std::string(this->name()) + kTrackSuffix[slot]);
    for (uint32_t slot = 0; slot < kUnitsPerCore; ++slot) {
      if (is_engine(slot))
        units_[slot].stall_track = recorder_->add_track(std::string(this->name()) + kTrackSuffix[slot] + ".stalls");
    }
  }
  SC_THREAD(controller);
}

void NpuCore::load(const std::vector<LayerProgram>& layers, std::vector<LayerStats>& stats,
                   const LayerFeed* feed) {
  layers_ = &layers;
  feed_ = feed;
  stats_ = &stats;
  stats.assign(layers.size(), LayerStats{});
}

void NpuCore::controller() {
  try {
    if (layers_ == nullptr) {
      finished_ = true;
      return;
    }
    for (size_t i = 0; i < layers_->size(); ++i) {
      if (feed_ != nullptr) feed_->prepare(i);
      start_layer(i);
      if (active_units_ > 0) {
        sc_core::wait(layer_done_);
        ++wakeups_;
      }
      // Every command is issued, so every finish time is known: the barrier is the latest one.
      const Cycles end = scoreboard_.layer_end();
      finish_layer(end);
      if (barrier_ != nullptr) {
        barrier_->arrive_and_wait(end);
        ++wakeups_;
      } else if (end > clock_.now()) {
        sc_core::wait(clock_.delay(end - clock_.now()));
        ++wakeups_;
      }
      if (feed_ != nullptr) feed_->finished(i);
    }
    finished_ = true;
  } catch (const sc_core::sc_unwind_exception&) {
    throw;
  } catch (...) {
    errors_.capture();
  }
}

void NpuCore::start_layer(size_t index) {
  layer_ = index;
  layer_start_ = clock_.now();
  const LayerProgram& program = (*layers_)[index];
  stream_ = index_ < program.streams() ? &program.stream(index_) : &idle_stream_;
  const CommandStream& stream = *stream_;
  scoreboard_.begin_layer(stream, layer_start_);
  if (recorder_ != nullptr) recorder_->begin_layer(static_cast<uint32_t>(index));
  for (auto& unit : units_) {
    unit.queue.clear();
    unit.cursor = 0;
  }
  for (uint32_t id = 0; id < stream.commands.size(); ++id) {
    switch (stream.commands[id].kind) {
      case CommandKind::kDmaLoad:
        units_[static_cast<size_t>(UnitKind::kLoad)].queue.push_back(id);
        break;
      case CommandKind::kDmaStore:
        units_[static_cast<size_t>(UnitKind::kStore)].queue.push_back(id);
        break;
      case CommandKind::kCompute:
        units_[static_cast<size_t>(UnitKind::kArray)].queue.push_back(id);
        break;
      case CommandKind::kVector:
        units_[static_cast<size_t>(UnitKind::kVector)].queue.push_back(id);
        break;
      case CommandKind::kSync:
        break;  // resolved by the scoreboard: done when its dependencies are
    }
  }
  LayerStats& stats = (*stats_)[index];
  stats.start_cycle = layer_start_;
  dma_in_flight_.clear();
  const LayerContext context{&program, layer_start_, &stats, &dma_in_flight_};
  active_units_ = 0;
  for (auto& unit : units_) {
    unit.executor->begin_layer(context);
    unit.timeline.begin(layer_start_);
    if (unit.queue.empty()) continue;
    ++active_units_;
    unit.wake.notify(sc_core::SC_ZERO_TIME);
  }
}

void NpuCore::finish_layer(Cycles end) {
  LayerStats& stats = (*stats_)[layer_];
  stats.end_cycle = end;
  stats.dma_busy_cycles = union_cycles(dma_in_flight_);
  // The layer's engine is the MAC array if it has tiles, else the vector unit if it has work.
  const EngineTimeline* engine = nullptr;
  const EngineTimeline& array = units_[static_cast<size_t>(UnitKind::kArray)].timeline;
  const EngineTimeline& vector = units_[static_cast<size_t>(UnitKind::kVector)].timeline;
  if (array.commands > 0) {
    engine = &array;
  } else if (vector.commands > 0) {
    engine = &vector;
  }
  if (engine == nullptr) {  // data movement only: the whole layer is memory time
    stats.stall_memory_cycles = end - layer_start_;
    return;
  }
  if (recorder_ != nullptr && end > engine->free_at) {
    const uint32_t slot = static_cast<uint32_t>(engine == &array ? UnitKind::kArray : UnitKind::kVector);
    recorder_->record(units_[slot].stall_track, SpanKind::kDrain, engine->free_at, end, 0);
  }
  stats.engine_busy_cycles = engine->busy;
  stats.stall_memory_cycles = engine->stall_memory;
  stats.stall_dependency_cycles = engine->stall_dependency;
  stats.stall_drain_cycles = end - engine->free_at;
  stats.stall_fill_cycles = engine->first_start - layer_start_;
}

void NpuCore::run_unit(UnitKind kind, CommandExecutor& executor) {
  const auto slot = static_cast<uint32_t>(kind);
  UnitState& unit = units_[slot];
  try {
    for (;;) {
      sc_core::wait(unit.wake);  // the controller starts a layer that has commands for this unit
      ++wakeups_;
      const CommandStream& stream = *stream_;
      for (; unit.cursor < unit.queue.size(); ++unit.cursor) {
        const uint32_t id = unit.queue[unit.cursor];
        // Dependencies not issued yet: sleep until the one we need is issued and finished.
        for (uint32_t dep = scoreboard_.first_unissued_dep(id); dep != Scoreboard::kNone;
             dep = scoreboard_.first_unissued_dep(id)) {
          scoreboard_.add_waiter(dep, slot);
          sc_core::wait(unit.wake);
          ++wakeups_;
        }
        const DepsReady deps = scoreboard_.deps_ready(id);
        unit.binding_id = deps.binding_id;
        const Cycles issue_at = executor.plan(stream.commands[id], deps);
        const Cycles now = clock_.now();
        if (issue_at > now) {
          sc_core::wait(clock_.delay(issue_at - now));
          ++wakeups_;
        }
        arbiter_.post(rank(slot), *this, slot);
        // Granted: the command is issued and its finish recorded; sleep until the next one could issue.
        sc_core::wait(unit.wake);
        ++wakeups_;
      }
      if (--active_units_ == 0) layer_done_.notify(sc_core::SC_ZERO_TIME);
    }
  } catch (const sc_core::sc_unwind_exception&) {
    throw;
  } catch (...) {
    errors_.capture();
  }
}

void NpuCore::grant(uint32_t slot, Cycles now) {
  UnitState& unit = units_[slot];
  const uint32_t id = unit.queue[unit.cursor];
  const Command& command = stream_->commands[id];
  const Cycles finish = unit.executor->issue(command, now);
  scoreboard_.record(id, now, finish, unit.binding_id);
  if (is_engine(slot)) {
    const Cycles idle_from = unit.timeline.free_at;
    const GapSplit gap =
        now > idle_from ? scoreboard_.split_gap(idle_from, now, unit.binding_id) : GapSplit{};
    // The idle time before the command, recorded first so that a track's spans stay in time order.
    if (recorder_ != nullptr && now > idle_from) record_stall(unit, idle_from, now, gap);
    unit.timeline.account(now, finish, gap);
  }
  if (recorder_ != nullptr) record_span(unit.track, command, now, finish);
  ++commands_issued_;
  // Units waiting for this command cannot issue before it finishes: wake them then, not now.
  const sc_core::sc_time until_finish = finish > now ? clock_.delay(finish - now) : sc_core::SC_ZERO_TIME;
  for (uint32_t waiters = scoreboard_.take_waiters(id), other = 0; waiters != 0; waiters >>= 1, ++other) {
    if (waiters & 1u) units_[other].wake.notify(until_finish);
  }
  // Never later than the finish, so a unit's last command cannot hold the layer barrier back.
  const Cycles resume = std::min(unit.executor->next_issue_floor(now, finish), finish);
  unit.wake.notify(resume > now ? clock_.delay(resume - now) : sc_core::SC_ZERO_TIME);
}

void NpuCore::record_stall(const UnitState& unit, Cycles idle_from, Cycles now, const GapSplit& gap) {
  if (unit.timeline.commands == 0) {
    recorder_->record(unit.stall_track, SpanKind::kFill, idle_from, now, 0);
    return;
  }
  const Cycles memory_end = idle_from + gap.memory;
  if (gap.memory > 0) recorder_->record(unit.stall_track, SpanKind::kStallMemory, idle_from, memory_end, 0);
  if (now > memory_end) recorder_->record(unit.stall_track, SpanKind::kStallDependency, memory_end, now, 0);
}

void NpuCore::record_span(uint32_t track, const Command& command, Cycles start, Cycles finish) {
  switch (command.kind) {
    case CommandKind::kCompute:
      recorder_->record(track, SpanKind::kCompute, start, finish, 0, command.tile.m, command.tile.n,
                        command.tile.k);
      break;
    case CommandKind::kVector:
      recorder_->record(track, SpanKind::kVector, start, finish,
                        command.vector.read_bytes + command.vector.write_bytes);
      break;
    case CommandKind::kDmaLoad:
    case CommandKind::kDmaStore:
      recorder_->record(track, command.kind == CommandKind::kDmaLoad ? SpanKind::kDmaLoad : SpanKind::kDmaStore,
                        start, finish, command.bytes);
      break;
    case CommandKind::kSync:
      break;
  }
}

bool NpuCore::stuck() const {
  for (const UnitState& unit : units_) {
    if (unit.cursor < unit.queue.size()) return true;
  }
  return false;
}

std::string NpuCore::describe_stall() {
  std::ostringstream out;
  out << name() << ": ";
  if (layers_ == nullptr || layer_ >= layers_->size() || stream_ == nullptr) {
    out << "stopped before the first layer";
    return out.str();
  }
  const LayerProgram& layer = (*layers_)[layer_];
  const CommandStream& program = *stream_;
  out << "layer " << layer_ << " '" << layer.name << "' deadlocked:";
  const char* separator = " ";
  for (uint32_t slot = 0; slot < kUnitsPerCore; ++slot) {
    const UnitState& unit = units_[slot];
    if (unit.cursor >= unit.queue.size()) continue;
    const uint32_t id = unit.queue[unit.cursor];
    out << separator << unit_kind_name(static_cast<UnitKind>(slot)) << " is stuck at command " << id << " ("
        << command_kind_name(program.commands[id].kind) << ")";
    const uint32_t dep = scoreboard_.first_unissued_dep(id);
    if (dep != Scoreboard::kNone) {
      out << " waiting for command " << dep << " (" << command_kind_name(program.commands[dep].kind) << ")";
    }
    separator = "; ";
  }
  return out.str();
}

}  // namespace npusim
