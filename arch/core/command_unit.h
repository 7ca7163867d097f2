// The contract between a core's in-order queues and the units that time their commands.
// NpuCore runs every queue (dependencies, issue time, arbitration); a unit only says when a command
// may issue and what issuing it at a given cycle costs, using reservations.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "arch/core/scoreboard.h"
#include "arch/isa/layer_stats.h"
#include "arch/timing/dma_timing.h"
#include "arch/spec/units.h"
#include "arch/isa/command_stream.h"

namespace npusim {

// Unit slots within a core; also the order in which same-cycle issue requests are granted
// (loads feed compute, so they reserve shared DRAM channels and the SRAM port first).
enum class UnitKind : uint8_t { kLoad = 0, kStore = 1, kArray = 2, kVector = 3 };
constexpr uint32_t kUnitsPerCore = 4;
const char* unit_kind_name(UnitKind kind);

// What a unit records into while a layer runs.
struct LayerContext {
  const LayerProgram* program = nullptr;
  Cycles start = 0;
  LayerStats* stats = nullptr;
  std::vector<TimeInterval>* dma_in_flight = nullptr;  // every transfer's [descriptor start, completion)
};

class CommandExecutor {
 public:
  virtual ~CommandExecutor() = default;
  virtual void begin_layer(const LayerContext& context) = 0;
  // The cycle at which the command should be issued, given when its dependencies finish.
  // Called once per command, just before it is issued.
  virtual Cycles plan(const Command& command, const DepsReady& deps) = 0;
  // Reserves the command's resources at `now` (>= plan's answer); returns the cycle it finishes.
  virtual Cycles issue(const Command& command, Cycles now) = 0;
  // After issue(): a lower bound on plan()'s answer for the next command. The unit's thread sleeps
  // until then, which saves a wake-up per command and cannot change any result.
  virtual Cycles next_issue_floor(Cycles now, Cycles finish) const = 0;
};

// Runs a unit's queue; implemented by the core, called from the unit's own SC_THREAD.
class QueueRunner {
 public:
  virtual ~QueueRunner() = default;
  virtual void run_unit(UnitKind kind, CommandExecutor& executor) = 0;
};

// Busy and idle time of an in-order engine (MAC array or vector unit) within one layer.
// busy + stall_memory + stall_dependency == free_at - layer start.
struct EngineTimeline {
  Cycles free_at = 0;           // the engine's last command finished (layer start before any)
  Cycles busy = 0;              // executing commands
  Cycles stall_memory = 0;      // idle, on the critical path to a load or store
  Cycles stall_dependency = 0;  // idle, on the critical path to compute on another engine
  uint64_t commands = 0;
  Cycles first_start = 0;       // the engine's first command started

  void begin(Cycles start) { *this = EngineTimeline{start, 0, 0, 0, 0, start}; }
  void account(Cycles start, Cycles end, const GapSplit& gap) {
    if (commands == 0) first_start = start;
    stall_memory += gap.memory;
    stall_dependency += gap.dependency;
    busy += end - start;
    free_at = end;
    ++commands;
  }
};

}  // namespace npusim
