// Global-SRAM liveness and placement (see global_sram_placement.h).
#include "workloads/mapper/global_sram_placement.h"

#include <algorithm>
#include <map>

#include "arch/spec/overloaded.h"

namespace npusim {
namespace {

// When each operator's output dies: the index of its last consumer, and whether any operator reads it.
struct Lifetimes {
  std::vector<size_t> last_consumer;
  std::vector<bool> consumed;
};

Lifetimes tensor_lifetimes(const Workload& workload) {
  const size_t count = workload.ops.size();
  Lifetimes lifetimes{std::vector<size_t>(count, 0), std::vector<bool>(count, false)};
  for (size_t j = 0; j < count; ++j) {
    for (uint32_t input : workload.ops[j].inputs) {
      if (input < j) {
        lifetimes.last_consumer[input] = std::max(lifetimes.last_consumer[input], j);
        lifetimes.consumed[input] = true;
      }
    }
  }
  return lifetimes;
}

// Operators whose output may stay on chip: the convolutional-network kinds the placement models.
// One handler per kind of params, so a new kind must say whether it joins.
bool output_may_stay(const Operator& op) {
  return std::visit(
      Overloaded{[](const ConvParams&) { return true; }, [](const MatMulParams&) { return true; },
                 [](const PoolParams&) { return true; }, [](const EltwiseParams&) { return true; },
                 [](const RowParams&) { return false; }, [](const RotaryParams&) { return false; },
                 [](const EmbeddingParams&) { return false; }, [](const AttentionParams&) { return false; }},
      op.params);
}

// Moves the first `fraction` of the bytes of `kind` transfers on `buffer` to the global SRAM, per core
// in stream order (an approximate attribution when only some inputs are resident: the loads do not say
// which tensor they read).
void retarget(LayerProgram& program, CommandKind kind, BufferKind buffer, double fraction) {
  Bytes total = 0;
  for (uint32_t core = 0; core < program.streams(); ++core) {
    for (const Command& c : program.stream(core).commands) {
      if (c.kind == kind && c.buffer == buffer) total += c.bytes;
    }
  }
  const auto budget = static_cast<Bytes>(fraction * static_cast<double>(total) + 0.5);
  Bytes moved = 0;
  for (uint32_t core = 0; core < program.streams(); ++core) {
    auto& commands = core == 0 ? program.commands : program.more_cores[core - 1].commands;
    for (Command& c : commands) {
      if (c.kind != kind || c.buffer != buffer || moved >= budget) continue;
      c.memory = MemoryKind::kGlobalSram;
      moved += c.bytes;
    }
  }
}

// The tensors resident in the global SRAM as the layers run in order.
class GlobalSram {
 public:
  explicit GlobalSram(Bytes capacity) : capacity_(capacity) {}

  // Tensors whose last consumer ran before layer `layer` leave.
  void release_dead(size_t layer, const Lifetimes& lifetimes) {
    for (auto it = live_.begin(); it != live_.end();) {
      if (lifetimes.last_consumer[it->first] < layer) {
        live_bytes_ -= it->second;
        it = live_.erase(it);
      } else {
        ++it;
      }
    }
  }
  // Keeps `producer`'s output when it fits next to the live tensors.
  bool try_keep(size_t producer, Bytes bytes) {
    if (live_bytes_ + bytes > capacity_) return false;
    live_[producer] = bytes;
    live_bytes_ += bytes;
    return true;
  }

 private:
  Bytes capacity_;
  std::map<size_t, Bytes> live_;  // producer -> bytes, while resident
  Bytes live_bytes_ = 0;
};

}  // namespace

void place_activations_in_global_sram(const Workload& workload, std::vector<LayerProgram>& programs,
                                      const NpuConfig& config) {
  const Bytes capacity = config.global_sram.capacity_bytes;
  if (capacity == 0 || config.timing_mode == TimingMode::kScaleSim ||
      programs.size() != workload.ops.size()) {
    return;
  }
  const Lifetimes lifetimes = tensor_lifetimes(workload);
  std::vector<bool> resident(workload.ops.size(), false);
  GlobalSram sram(capacity);
  for (size_t i = 0; i < workload.ops.size(); ++i) {
    const Operator& op = workload.ops[i];
    // Inputs first: loads of resident producers' outputs come from the global SRAM.
    Bytes resident_input = 0;
    for (uint32_t input : op.inputs) {
      if (input < i && resident[input]) resident_input += op_output_bytes(workload.ops[input]);
    }
    const Bytes all_inputs = op_input_bytes(op);
    if (resident_input > 0 && all_inputs > 0) {
      retarget(programs[i], CommandKind::kDmaLoad, BufferKind::kInput,
               std::min(1.0, static_cast<double>(resident_input) / static_cast<double>(all_inputs)));
    }
    // Tensors whose last consumer has run leave; then this output stays on chip if it fits.
    sram.release_dead(i, lifetimes);
    const Bytes output = op_output_bytes(op);
    if (output_may_stay(op) && lifetimes.consumed[i] && output > 0 && sram.try_keep(i, output)) {
      resident[i] = true;
      retarget(programs[i], CommandKind::kDmaStore, BufferKind::kOutput, 1.0);
    }
  }
}

}  // namespace npusim
