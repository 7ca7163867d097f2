// Scoreboard: per-layer finish times of issued commands. Resources are reservations, so a command's
// finish is known the moment it is issued; units read dependencies' finish times from here instead
// of waiting for completion events. Syncs are resolved lazily (finish = latest dependency).
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "arch/spec/units.h"
#include "arch/isa/command_stream.h"

namespace npusim {

constexpr bool is_dma(CommandKind kind) {
  return kind == CommandKind::kDmaLoad || kind == CommandKind::kDmaStore;
}

// When a command's dependencies are finished, split by what they wait for.
struct DepsReady {
  Cycles all = 0;    // every dependency finished (layer start when there are none)
  Cycles dma = 0;    // latest finish among dependencies bound by a load or store
  Cycles other = 0;  // latest finish among dependencies bound by compute or vector work
  // Kind and id of the command that finished last, looking through syncs (on a tie a DMA wins);
  // kNone when there are no dependencies or only dependency-less syncs.
  CommandKind binding = CommandKind::kSync;
  uint32_t binding_id = std::numeric_limits<uint32_t>::max();
};

// An engine's idle time split by what it was waiting for.
struct GapSplit {
  Cycles memory = 0;
  Cycles dependency = 0;
};

class Scoreboard {
 public:
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();

  void begin_layer(const CommandStream& program, Cycles start);

  // The first dependency of `id` (looking through syncs) that is not issued yet, or kNone.
  uint32_t first_unissued_dep(uint32_t id);
  // Precondition: first_unissued_dep(id) == kNone.
  DepsReady deps_ready(uint32_t id);

  // `binding_id`: the DepsReady::binding_id the command was planned with.
  void record(uint32_t id, Cycles start, Cycles finish, uint32_t binding_id);
  bool known(uint32_t id) const { return known_[id] != 0; }
  Cycles finish(uint32_t id) const { return finish_[id]; }

  // Unit slots (bit mask, slot < 32) waiting for `id` to be issued.
  void add_waiter(uint32_t id, uint32_t slot) { waiters_[id] |= 1u << slot; }
  uint32_t take_waiters(uint32_t id);

  // Attributes an engine's idle time [from, to), which ended when command `binding_id` finished, by
  // walking the critical path back: time the binding command (or one it waited for in turn) was
  // executing or queued on compute or vector is a dependency stall; reaching a load or store, the
  // rest is memory time.
  GapSplit split_gap(Cycles from, Cycles to, uint32_t binding_id) const;

  // Resolves remaining syncs; returns the latest finish of the layer (>= its start).
  // Precondition: every non-sync command is issued.
  Cycles layer_end();

 private:
  bool resolve(uint32_t id);
  uint32_t unissued_leaf(uint32_t id);
  void merge(uint32_t dep, DepsReady& ready) const;

  const CommandStream* program_ = nullptr;
  Cycles layer_start_ = 0;
  std::vector<Cycles> issued_at_;
  std::vector<Cycles> finish_;
  std::vector<CommandKind> binding_;  // a command's own kind; for a sync, its binding leaf's kind
  std::vector<uint32_t> binding_id_;  // the leaf whose finish released the command (kNone: none)
  std::vector<uint8_t> known_;
  std::vector<uint32_t> waiters_;
};

}  // namespace npusim
