// Programs of operators already lowered for one NPU config, kept across the workloads of one run: a run
// of many workloads that share operators (the serve step-cost grid, whose dense layers repeat at every
// cache length; the steps of an LLM decode) lowers each distinct operator once. The lowering is a pure
// function of the operator (as lowers_alike compares it) and the config, so a kept program is the one
// the search would find again. The owner keeps one cache per config.
#pragma once

#include <cstdint>
#include <deque>

#include "arch/isa/command_stream.h"
#include "workloads/ir/operator.h"

namespace npusim {

class LoweringCache {
 public:
  // Keeps at most `max_commands` commands (the programs' memory) in at most kMaxPrograms programs (the
  // look-up is a scan); the oldest programs go first.
  explicit LoweringCache(uint64_t max_commands = kDefaultMaxCommands) : max_commands_(max_commands) {}

  // The program kept for an operator that lowers like `op`, or null.
  const LayerProgram* find(const Operator& op) const;
  // Keeps `program` (lowered from `op`, before the global-SRAM placement) unless it alone is over the limit.
  void keep(const Operator& op, const LayerProgram& program);

  uint64_t hits() const { return hits_; }
  size_t size() const { return entries_.size(); }

  // 2 Mi commands: ~130 MB at most (a decode's attention programs differ at every step and would pile up).
  static constexpr uint64_t kDefaultMaxCommands = uint64_t{1} << 21;
  static constexpr size_t kMaxPrograms = 4096;

 private:
  struct Entry {
    Operator op;
    LayerProgram program;
    uint64_t commands = 0;
  };
  std::deque<Entry> entries_;
  uint64_t commands_ = 0;
  uint64_t max_commands_;
  mutable uint64_t hits_ = 0;
};

}  // namespace npusim
