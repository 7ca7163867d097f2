#include "arch/dma/dma_queue.h"

#include <algorithm>

namespace npusim {

DmaQueue::DmaQueue(bool is_load, uint32_t core, const DmaConfig& config, Sram& sram, MemoryFabric& fabric,
                   uint64_t& next_address)
    : is_load_(is_load),
      core_(core),
      setup_cycles_(config.setup_cycles),
      max_outstanding_(std::max<uint32_t>(1, config.max_outstanding)),
      port_(config.bytes_per_cycle, 0),
      sram_(sram),
      fabric_(fabric),
      next_address_(next_address) {}

void DmaQueue::begin_layer(const LayerContext& context) {
  layer_ = context;
  decoder_free_ = std::max(decoder_free_, context.start);
}

Cycles DmaQueue::slot_free(Cycles t) {
  while (!in_flight_.empty() && in_flight_.top() <= t) in_flight_.pop();
  while (in_flight_.size() >= max_outstanding_) {
    t = in_flight_.top();
    while (!in_flight_.empty() && in_flight_.top() <= t) in_flight_.pop();
  }
  return t;
}

Cycles DmaQueue::plan(const Command&, const DepsReady& deps) {
  // Without its dependencies on compute the descriptor would start here...
  const Cycles natural = slot_free(std::max(decoder_free_, deps.dma));
  // ...the difference is time a load spends waiting for its buffer to be released by compute.
  planned_start_ = slot_free(std::max(natural, deps.other));
  planned_compute_wait_ = planned_start_ - natural;
  return planned_start_ + setup_cycles_;
}

Cycles DmaQueue::issue(const Command& command, Cycles now) {
  const Bytes bytes = command.bytes;
  const uint64_t address = next_address_;
  next_address_ += bytes;
  Cycles done = now;
  if (bytes > 0) {
    done = std::max(done, port_.reserve(now, bytes).done);
    const Reservation sram = is_load_ ? sram_.access(now, 0, bytes) : sram_.access(now, bytes, 0);
    done = std::max(done, sram.done);
    const FabricAccess far =
        fabric_.access(now, core_, address, bytes, /*is_write=*/!is_load_, command.memory);
    done = std::max(done, far.done);
    layer_.stats->noc_flit_hops += far.flit_hops;
  }
  in_flight_.push(done);
  decoder_free_ = now;

  LayerStats& stats = *layer_.stats;
  stats.dma_transfers += 1;
  const bool global = command.memory == MemoryKind::kGlobalSram;
  if (is_load_) {
    (global ? stats.global_sram_read_bytes : stats.dram_read_bytes) += bytes;
    stats.sram_write_bytes += bytes;
    stats.dma_wait_compute_cycles += planned_compute_wait_;
  } else {
    (global ? stats.global_sram_write_bytes : stats.dram_write_bytes) += bytes;
    stats.sram_read_bytes += bytes;
  }
  layer_.dma_in_flight->push_back({planned_start_, done});
  return done;
}

}  // namespace npusim
