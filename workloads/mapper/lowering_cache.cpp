// Programs kept across workloads (see lowering_cache.h).
#include "workloads/mapper/lowering_cache.h"

#include <algorithm>

#include "workloads/mapper/operator_identity.h"

namespace npusim {

const LayerProgram* LoweringCache::find(const Operator& op) const {
  // Newest first: a run's workloads mostly repeat the operators of the one just before.
  const auto found = std::find_if(entries_.rbegin(), entries_.rend(),
                                  [&op](const Entry& entry) { return lowers_alike(entry.op, op); });
  if (found == entries_.rend()) return nullptr;
  ++hits_;
  return &found->program;
}

void LoweringCache::keep(const Operator& op, const LayerProgram& program) {
  const uint64_t commands = program.total_commands();
  if (commands > max_commands_) return;
  while (!entries_.empty() && (commands_ + commands > max_commands_ || entries_.size() >= kMaxPrograms)) {
    commands_ -= entries_.front().commands;
    entries_.pop_front();
  }
  entries_.push_back({op, program, commands});
  commands_ += commands;
}

}  // namespace npusim
