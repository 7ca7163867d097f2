// Raw per-layer counters the SystemC models fill in; derived metrics are computed at report time.
#pragma once

#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
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

// Every counter of LayerStats, declared once: its name in reports, its member, how a multi-core
// layer's value is formed from the cores' own, and which report sections show it. Summing over cores,
// the layer rows of result.json and layers.csv, and the totals over layers all walk this table, so
// adding a counter is its member plus one line here (the static_assert below catches a missing line).
// Order: as in a layer row (derived columns sit between them, sim/report/layer_metrics.cpp).
enum class CoreCombine {
  kCritical,  // the critical core's own value: the layer's time split, start and end
  kSum,       // summed over the cores
};
enum LayerCounterReport : unsigned {
  kReportNone = 0,
  kReportLayerRow = 1,  // a column of each layer row (result.json "layers", layers.csv)
  kReportTotals = 2,    // also summed over the rows into "totals" (needs kReportLayerRow)
};
struct LayerCounter {
  const char* name;
  uint64_t LayerStats::*member;
  CoreCombine combine;
  unsigned report;  // LayerCounterReport bits
};
inline constexpr unsigned kReportRowAndTotals = kReportLayerRow | kReportTotals;
inline constexpr LayerCounter kLayerCounters[] = {
    {"start_cycle", &LayerStats::start_cycle, CoreCombine::kCritical, kReportNone},
    {"end_cycle", &LayerStats::end_cycle, CoreCombine::kCritical, kReportNone},
    {"engine_busy_cycles", &LayerStats::engine_busy_cycles, CoreCombine::kCritical, kReportRowAndTotals},
    {"stall_memory_cycles", &LayerStats::stall_memory_cycles, CoreCombine::kCritical, kReportRowAndTotals},
    {"stall_dependency_cycles", &LayerStats::stall_dependency_cycles, CoreCombine::kCritical,
     kReportRowAndTotals},
    {"stall_drain_cycles", &LayerStats::stall_drain_cycles, CoreCombine::kCritical, kReportRowAndTotals},
    {"stall_fill_cycles", &LayerStats::stall_fill_cycles, CoreCombine::kCritical, kReportNone},
    {"dma_busy_cycles", &LayerStats::dma_busy_cycles, CoreCombine::kCritical, kReportLayerRow},
    {"sram_conflict_cycles", &LayerStats::sram_conflict_cycles, CoreCombine::kSum, kReportLayerRow},
    {"dram_read_bytes", &LayerStats::dram_read_bytes, CoreCombine::kSum, kReportRowAndTotals},
    {"dram_write_bytes", &LayerStats::dram_write_bytes, CoreCombine::kSum, kReportRowAndTotals},
    {"sram_read_bytes", &LayerStats::sram_read_bytes, CoreCombine::kSum, kReportRowAndTotals},
    {"sram_write_bytes", &LayerStats::sram_write_bytes, CoreCombine::kSum, kReportRowAndTotals},
    {"vector_ops", &LayerStats::vector_ops, CoreCombine::kSum, kReportRowAndTotals},
    {"noc_flit_hops", &LayerStats::noc_flit_hops, CoreCombine::kSum, kReportLayerRow},
    {"array_busy_cycles", &LayerStats::array_busy_cycles, CoreCombine::kSum, kReportNone},
    {"vector_busy_cycles", &LayerStats::vector_busy_cycles, CoreCombine::kSum, kReportNone},
    {"dma_wait_compute_cycles", &LayerStats::dma_wait_compute_cycles, CoreCombine::kSum, kReportNone},
    {"macs", &LayerStats::macs, CoreCombine::kSum, kReportNone},  // rows report the program's MACs
    {"compute_tiles", &LayerStats::compute_tiles, CoreCombine::kSum, kReportNone},
    {"vector_commands", &LayerStats::vector_commands, CoreCombine::kSum, kReportNone},
    {"dma_transfers", &LayerStats::dma_transfers, CoreCombine::kSum, kReportNone},
    {"global_sram_read_bytes", &LayerStats::global_sram_read_bytes, CoreCombine::kSum, kReportNone},
    {"global_sram_write_bytes", &LayerStats::global_sram_write_bytes, CoreCombine::kSum, kReportNone},
    {"barrier_wait_cycles", &LayerStats::barrier_wait_cycles, CoreCombine::kSum, kReportNone},
};
constexpr bool layer_counters_distinct() {
  for (size_t i = 0; i < std::size(kLayerCounters); ++i) {
    for (size_t j = i + 1; j < std::size(kLayerCounters); ++j) {
      if (kLayerCounters[i].member == kLayerCounters[j].member) return false;
    }
  }
  return true;
}
// LayerStats is the counters above (64-bit each, each once) plus critical_core (padded to 64 bits).
static_assert(layer_counters_distinct(), "a LayerStats member is listed twice in kLayerCounters");
static_assert(sizeof(LayerStats) == (std::size(kLayerCounters) + 1) * sizeof(uint64_t),
              "a LayerStats member is missing from kLayerCounters");

// The counter named `name`, or null.
inline const LayerCounter* find_layer_counter(std::string_view name) {
  for (const LayerCounter& counter : kLayerCounters) {
    if (name == counter.name) return &counter;
  }
  return nullptr;
}

// One NoC link's traffic over the whole run (the NoC fills it: arch/timing/noc_network.h).
struct NocLinkUsage {
  std::string name;  // e.g. "(0,0)->(0,1)"
  Bytes bytes = 0;
  Cycles busy_cycles = 0;  // utilisation = busy / total cycles
  uint64_t transfers = 0;
};

// NocLinkUsage's counters in report order (result.json "noc_links").
struct NocLinkCounter {
  const char* name;
  uint64_t NocLinkUsage::*member;
};
inline constexpr NocLinkCounter kNocLinkCounters[] = {
    {"bytes", &NocLinkUsage::bytes},
    {"busy_cycles", &NocLinkUsage::busy_cycles},
    {"transfers", &NocLinkUsage::transfers},
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
