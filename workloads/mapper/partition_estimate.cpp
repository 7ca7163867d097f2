// Multi-core mapping, the cost model: estimated layer time of per-core command streams.
#include "workloads/mapper/partition_estimate.h"

#include <algorithm>
#include <limits>
#include <set>

#include "arch/timing/noc_topology.h"
#include "arch/timing/sram_timing.h"
#include "arch/timing/systolic_timing.h"
#include "workloads/mapper/stream_schedule.h"

namespace npusim {

namespace {

// What the NoC adds to core `core`'s transfers: the bytes per cycle it can pull from DRAM (one link per
// distinct last link into it over the routes from the DRAM controllers; unlimited when none crosses a
// link) and the router traversals a DRAM or global-SRAM transfer's last byte makes (hops x hop latency,
// from the farthest controller, as a transfer spread over the channels reaches them all).
struct NocReach {
  double dram_bytes_per_cycle = std::numeric_limits<double>::infinity();
  double dram_hop_cycles = 0.0;
  double global_sram_hop_cycles = 0.0;
};

NocReach noc_reach(const NpuConfig& config, const NocTopology& topology, uint32_t core) {
  NocReach reach;
  if (core >= noc_nodes(topology)) return reach;
  const double hop_cycles = static_cast<double>(config.noc.hop_latency_cycles);
  std::set<uint32_t> last_links;
  uint32_t farthest = 0;
  std::vector<uint32_t> links;
  for (uint32_t node : noc_dram_nodes(config.noc, config.cores, config.dram.channels)) {
    if (node >= noc_nodes(topology)) continue;
    noc_route(topology, node, core, links);
    if (!links.empty()) last_links.insert(links.back());
    farthest = std::max(farthest, noc_hops(topology, node, core));
  }
  if (!last_links.empty()) {  // a core no route reaches over a link talks to the controllers directly
    reach.dram_bytes_per_cycle =
        static_cast<double>(config.noc.link_bytes_per_cycle) * static_cast<double>(last_links.size());
    reach.dram_hop_cycles = hop_cycles * farthest;
  }
  if (config.noc.global_sram_node < noc_nodes(topology))
    reach.global_sram_hop_cycles = hop_cycles * noc_hops(topology, config.noc.global_sram_node, core);
  return reach;
}

// One core's bytes in a layer: to and from each memory, and through its scratchpad port.
struct CoreBytes {
  Bytes dram = 0, global_sram = 0;
  Bytes port = 0;  // the engines' operand traffic plus every DMA transfer (each lands in or leaves SRAM)
};

CoreBytes core_bytes(const CommandStream& stream, const NpuConfig& config, const ArrayShape& array, DType dtype) {
  CoreBytes bytes;
  for (const Command& c : stream.commands) {
    switch (c.kind) {
      case CommandKind::kCompute:
        bytes.port += array_tile_sram_bytes(array, config.array.dataflow, GemmShape{c.tile.m, c.tile.n, c.tile.k},
                                            dtype).total();
        break;
      case CommandKind::kVector:
        bytes.port += c.vector.read_bytes + c.vector.write_bytes;
        break;
      case CommandKind::kDmaLoad:
      case CommandKind::kDmaStore:
        (c.memory == MemoryKind::kGlobalSram ? bytes.global_sram : bytes.dram) += c.bytes;
        bytes.port += c.bytes;
        break;
      case CommandKind::kSync:
        break;
    }
  }
  return bytes;
}

// Lower bounds the list schedule may miss: each memory's bytes over the core's share of it, and every
// unit's bytes through the one scratchpad port.
double shared_bounds_cycles(const CoreBytes& bytes, const CoreMemoryRates& rates, double port_bytes_per_cycle) {
  // One transfer's latency is exposed at least: DRAM's if the core touches it, else the global SRAM's.
  double latency = 0.0;
  if (bytes.dram > 0) {
    latency = rates.setup_cycles + rates.dram_latency_cycles;
  } else if (bytes.global_sram > 0) {
    latency = rates.setup_cycles + rates.global_sram_latency_cycles;
  }
  const double memory = std::max(static_cast<double>(bytes.dram) / rates.dram_bytes_per_cycle,
                                 static_cast<double>(bytes.global_sram) / rates.global_sram_bytes_per_cycle);
  return std::max(memory, static_cast<double>(bytes.port) / port_bytes_per_cycle) + latency;
}

// The rate at which `core` moves its bytes through a memory of `bandwidth` that every core streams
// from at once, shared fairly: until it is done, each other core takes as much as it does or, if that
// core moves fewer bytes, all of those. So it finishes after sum_j min(bytes_j, bytes_core) / bandwidth:
// the whole memory for a sole user, 1/n of it for n equal ones.
double fair_share_bytes_per_cycle(const std::vector<CoreBytes>& cores, size_t core, Bytes CoreBytes::*memory,
                                  double bandwidth) {
  const Bytes own = cores[core].*memory;
  if (own == 0) return bandwidth;
  Bytes contended = 0;
  for (const CoreBytes& other : cores) contended += std::min(other.*memory, own);
  return bandwidth * static_cast<double>(own) / static_cast<double>(contended);
}

}  // namespace

PartitionEstimate estimate_streams(const std::vector<const CommandStream*>& streams, const NpuConfig& config,
                                   DType dtype) {
  const ArrayShape array = array_shape(config.array, dtype);
  const double dram_bw = dram_bytes_per_cycle(config);
  const double dma_port = std::max(static_cast<double>(config.dma.bytes_per_cycle), 1.0);
  const double sram_port = static_cast<double>(std::max<uint64_t>(sram_port_bytes_per_cycle(config.sram), 1));
  const double fixed = static_cast<double>(config.dma.setup_cycles + dram_latency_cycles(config));
  std::vector<CoreBytes> per_core;
  for (const CommandStream* stream : streams) per_core.push_back(core_bytes(*stream, config, array, dtype));
  const double global_sram_bw = std::max(static_cast<double>(config.global_sram.bytes_per_cycle), 1.0);
  const NocTopology topology = make_noc_topology(config.noc, config.cores);
  PartitionEstimate estimate;
  double slowest = 0.0;
  for (size_t core = 0; core < streams.size(); ++core) {
    // The cores of a layer stream from each memory at once, sharing it fairly (and no core draws more
    // DRAM than the NoC links into it carry). Each DMA queue's own port limits it separately.
    const NocReach reach = noc_reach(config, topology, static_cast<uint32_t>(core));
    const CoreMemoryRates rates{
        dma_port,
        std::min(fair_share_bytes_per_cycle(per_core, core, &CoreBytes::dram, dram_bw), reach.dram_bytes_per_cycle),
        fair_share_bytes_per_cycle(per_core, core, &CoreBytes::global_sram, global_sram_bw),
        static_cast<double>(dram_latency_cycles(config)) + reach.dram_hop_cycles,
        static_cast<double>(config.global_sram.latency_cycles) + reach.global_sram_hop_cycles,
        static_cast<double>(config.dma.setup_cycles)};
    const CoreBytes& bytes = per_core[core];
    slowest = std::max({slowest, schedule_stream_cycles(*streams[core], config, array, dtype, rates),
                        shared_bounds_cycles(bytes, rates, sram_port)});
    estimate.dram_bytes += bytes.dram;
  }
  // All cores together cannot beat the DRAM (when they touch it: a layer on global SRAM pays no DRAM latency).
  const double dram_floor =
      estimate.dram_bytes > 0 ? static_cast<double>(estimate.dram_bytes) / dram_bw + 2.0 * fixed : 0.0;
  estimate.cycles = std::max(slowest, dram_floor);
  return estimate;
}

double estimate_layer_cycles(const LayerProgram& program, const NpuConfig& config) {
  std::vector<const CommandStream*> streams{&program};
  for (const CommandStream& stream : program.more_cores) streams.push_back(&stream);
  return estimate_streams(streams, config, program.dtype).cycles;
}

}  // namespace npusim
