// Raw per-layer counters the SystemC models fill in; derived metrics are computed at report time.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch/spec/units.h"

namespace npusim {

struct LayerStats {
  Cycles start_cycle = 0;
  Cycles end_cycle = 0;            // last command of the layer finished
  // The layer's engine is the MAC array if the layer has compute tiles, else the vector unit if it has
  // vector work. cycles() == engine_busy + stall_memory + stall_dependency + stall_drain; a layer with
  // neither (data movement only) counts all its cycles as stall_memory.
  Cycles engine_busy_cycles = 0;   // engine executing tiles
  Cycles stall_memory_cycles = 0;  // engine idle waiting for DMA loads (includes the first fill)
                                   // or stores; idle time is attributed along the critical path
  Cycles stall_dependency_cycles = 0;  // engine idle while the critical path runs through the other
                                       // engine (e.g. the array waiting for a vector op)
  Cycles stall_drain_cycles = 0;   // after the last tile, waiting for output stores to land
  Cycles stall_fill_cycles = 0;    // part of stall_memory: before the engine's first tile could start
  Cycles array_busy_cycles = 0;
  Cycles vector_busy_cycles = 0;
  Cycles dma_busy_cycles = 0;      // cycles with at least one transfer (load or store) in flight,
                                   // from descriptor start to completion
  Cycles dma_wait_compute_cycles = 0;  // loads held back because their buffer was still in use
                                       // (a dependency on compute or vector work)
  uint64_t macs = 0;               // MAC-array MACs (m*n*k per tile)
  uint64_t vector_ops = 0;         // vector elements * ops_per_element (depthwise MACs included)
  uint64_t compute_tiles = 0;      // MAC-array commands
  uint64_t vector_commands = 0;    // vector-unit commands
  uint64_t dma_transfers = 0;
  Bytes dram_read_bytes = 0;
  Bytes dram_write_bytes = 0;
  Bytes sram_read_bytes = 0;
  Bytes sram_write_bytes = 0;
  Cycles sram_conflict_cycles = 0;  // extra cycles tiles spent because SRAM ports were saturated
  uint64_t noc_flit_hops = 0;       // flits (npu.noc.flit_bytes) times the hops each crossed
  Bytes global_sram_read_bytes = 0;   // loads served by the shared global SRAM instead of DRAM
  Bytes global_sram_write_bytes = 0;  // stores into the global SRAM
  // Multi-core layers (see NpuRunStats::core_layers): counters above are summed over cores; the time
  // split (engine_busy, stall_*, dma_busy) is the critical core's, the one that finished last.
  uint32_t critical_core = 0;
  Cycles barrier_wait_cycles = 0;  // summed over cores: layer end minus each core's own end

  Cycles cycles() const { return end_cycle - start_cycle; }
};

// One NoC link's traffic over the whole run.
struct NocLinkUsage {
  std::string name;  // e.g. "(0,0)->(0,1)"
  Bytes bytes = 0;
  Cycles busy_cycles = 0;  // utilisation = busy / total cycles
  uint64_t transfers = 0;
};

struct NpuRunStats {
  std::vector<LayerStats> layers;
  Cycles total_cycles = 0;
  uint32_t cores = 1;
  // Per core, per layer (filled only with more than one core): each core's own counters and times.
  std::vector<std::vector<LayerStats>> core_layers;
  std::vector<NocLinkUsage> noc_links;  // every link of the topology (empty on an ideal NoC)
  // Simulator effort (deterministic, not simulated hardware): commands issued, SystemC process
  // wake-ups in the models' threads, and issue-arbitration batches.
  uint64_t commands_issued = 0;
  uint64_t kernel_wakeups = 0;
  uint64_t arbiter_batches = 0;
};

}  // namespace npusim
