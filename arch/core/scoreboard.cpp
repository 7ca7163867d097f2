#include "arch/core/scoreboard.h"

#include <algorithm>

namespace npusim {

void Scoreboard::begin_layer(const CommandStream& program, Cycles start) {
  program_ = &program;
  layer_start_ = start;
  const size_t n = program.commands.size();
  issued_at_.assign(n, start);
  finish_.assign(n, start);
  binding_id_.assign(n, kNone);
  binding_.resize(n);
  for (size_t i = 0; i < n; ++i) binding_[i] = program.commands[i].kind;
  known_.assign(n, 0);
  waiters_.assign(n, 0);
}

void Scoreboard::merge(uint32_t dep, DepsReady& ready) const {
  const Cycles finish = finish_[dep];
  const CommandKind binding = binding_[dep];
  if (is_dma(binding)) {
    ready.dma = std::max(ready.dma, finish);
  } else {
    ready.other = std::max(ready.other, finish);
  }
  if (finish > ready.all || (finish == ready.all && is_dma(binding) && !is_dma(ready.binding))) {
    ready.all = finish;
    ready.binding = binding;
    // A sync stands for the leaf that released it.
    ready.binding_id = program_->commands[dep].kind == CommandKind::kSync ? binding_id_[dep] : dep;
  }
}

bool Scoreboard::resolve(uint32_t id) {
  if (known_[id]) return true;
  const Command& command = program_->commands[id];
  if (command.kind != CommandKind::kSync) return false;
  // Syncs only depend on earlier commands (validated), so this recursion terminates.
  DepsReady ready{layer_start_, layer_start_, layer_start_, CommandKind::kSync, kNone};
  for (uint32_t i = 0; i < command.dep_count; ++i) {
    const uint32_t dep = program_->deps[command.dep_begin + i];
    if (!resolve(dep)) return false;
    merge(dep, ready);
  }
  finish_[id] = ready.all;
  binding_[id] = ready.binding;
  binding_id_[id] = ready.binding_id;
  known_[id] = 1;
  return true;
}

uint32_t Scoreboard::unissued_leaf(uint32_t id) {
  if (program_->commands[id].kind != CommandKind::kSync) return id;
  return first_unissued_dep(id);
}

uint32_t Scoreboard::first_unissued_dep(uint32_t id) {
  const Command& command = program_->commands[id];
  for (uint32_t i = 0; i < command.dep_count; ++i) {
    const uint32_t dep = program_->deps[command.dep_begin + i];
    if (!resolve(dep)) return unissued_leaf(dep);
  }
  return kNone;
}

DepsReady Scoreboard::deps_ready(uint32_t id) {
  const Command& command = program_->commands[id];
  DepsReady ready{layer_start_, layer_start_, layer_start_, CommandKind::kSync, kNone};
  for (uint32_t i = 0; i < command.dep_count; ++i) {
    const uint32_t dep = program_->deps[command.dep_begin + i];
    resolve(dep);
    merge(dep, ready);
  }
  return ready;
}

void Scoreboard::record(uint32_t id, Cycles start, Cycles finish, uint32_t binding_id) {
  issued_at_[id] = start;
  finish_[id] = finish;
  binding_id_[id] = binding_id;
  known_[id] = 1;
}

GapSplit Scoreboard::split_gap(Cycles from, Cycles to, uint32_t binding_id) const {
  GapSplit split;
  Cycles until = to;  // [from, until) is still unattributed
  for (uint32_t id = binding_id; until > from; id = binding_id_[id]) {
    if (id == kNone) {  // released by nothing in particular: its unit was busy before
      split.dependency += until - from;
      break;
    }
    if (is_dma(program_->commands[id].kind)) {
      split.memory += until - from;
      break;
    }
    // Compute or vector work: queued on its unit after its own release, then executing.
    const Cycles begin = std::max(from, std::min(issued_at_[id], until));
    split.dependency += until - begin;
    until = begin;
    // Before it started, the command waited on its unit or on its own binding dependency.
    const uint32_t next = binding_id_[id];
    if (next != kNone && finish_[next] < until) {
      const Cycles released = std::max(from, finish_[next]);
      split.dependency += until - released;
      until = released;
    }
  }
  return split;
}

uint32_t Scoreboard::take_waiters(uint32_t id) {
  const uint32_t mask = waiters_[id];
  waiters_[id] = 0;
  return mask;
}

Cycles Scoreboard::layer_end() {
  Cycles end = layer_start_;
  for (uint32_t id = 0; id < finish_.size(); ++id) {
    resolve(id);
    end = std::max(end, finish_[id]);
  }
  return end;
}

}  // namespace npusim
