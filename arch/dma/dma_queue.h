// DmaQueue: one direction (loads DRAM->SRAM or stores SRAM->DRAM) of a core's DMA engine.
// Descriptors run in order. Each is decoded for setup_cycles, then books the direction's port,
// the SRAM port and the DRAM channels (and the NoC links to them) at once and records its completion without
// waiting for it: up to max_outstanding transfers are in flight, and the queue stalls only when all are.
#pragma once

#include <functional>
#include <queue>
#include <vector>

#include "arch/core/command_unit.h"
#include "arch/memory/sram.h"
#include "arch/noc/memory_fabric.h"
#include "arch/spec/core_config.h"
#include "arch/timing/bandwidth_server.h"

namespace npusim {

class DmaQueue final : public CommandExecutor {
 public:
  // `next_address` is the engine's running DRAM address, shared by both directions; `core` is the
  // engine's core (and NoC node).
  DmaQueue(bool is_load, uint32_t core, const DmaConfig& config, Sram& sram, MemoryFabric& fabric,
           uint64_t& next_address);

  void begin_layer(const LayerContext& context) override;
  Cycles plan(const Command& command, const DepsReady& deps) override;
  Cycles issue(const Command& command, Cycles now) override;
  // The next descriptor is decoded from now on, so it cannot issue before its setup is done.
  Cycles next_issue_floor(Cycles now, Cycles) const override { return now + setup_cycles_; }

  const BandwidthServer& port() const { return port_; }

 private:
  // Earliest cycle >= t at which fewer than max_outstanding transfers are in flight.
  Cycles slot_free(Cycles t);

  bool is_load_;
  uint32_t core_;
  Cycles setup_cycles_;
  uint32_t max_outstanding_;
  BandwidthServer port_;
  Sram& sram_;
  MemoryFabric& fabric_;
  uint64_t& next_address_;
  LayerContext layer_;
  Cycles decoder_free_ = 0;  // the previous descriptor's requests went out
  std::priority_queue<Cycles, std::vector<Cycles>, std::greater<Cycles>> in_flight_;  // completions
  Cycles planned_start_ = 0;  // descriptor decode start of the command being issued
  Cycles planned_compute_wait_ = 0;
};

}  // namespace npusim
