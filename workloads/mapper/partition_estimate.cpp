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

// Lower bounds the list schedule may miss: each memory's bytes over its bandwidth, and every
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

}  // namespace

PartitionEstimate estimate_streams(const std::vector<const CommandStream*>& streams, const NpuConfig& config,
                                   DType dtype, double cutoff_cycles) {
  const ArrayShape array = array_shape(config.array, dtype);
  const double dram_bw = dram_bytes_per_cycle(config);
  const double sram_port = static_cast<double>(std::max<uint64_t>(sram_port_bytes_per_cycle(config.sram), 1));
  const NocTopology topology = make_noc_topology(config.noc, config.cores);
  // The cores of a layer share DRAM and the global SRAM, served in issue order (the schedule); no core
  // draws more DRAM than the NoC links into it carry. Each DMA queue's own port limits it separately.
  std::vector<CoreMemoryRates> rates;
  for (size_t core = 0; core < streams.size(); ++core) {
    const NocReach reach = noc_reach(config, topology, static_cast<uint32_t>(core));
    rates.push_back(CoreMemoryRates{std::max(static_cast<double>(config.dma.bytes_per_cycle), 1.0), dram_bw,
                                    std::max(static_cast<double>(config.global_sram.bytes_per_cycle), 1.0),
                                    reach.dram_bytes_per_cycle,
                                    static_cast<double>(dram_latency_cycles(config)) + reach.dram_hop_cycles,
                                    static_cast<double>(config.global_sram.latency_cycles) + reach.global_sram_hop_cycles,
                                    static_cast<double>(config.dma.setup_cycles)});
  }
  const std::vector<double> scheduled = schedule_streams_cycles(streams, config, array, dtype, rates, cutoff_cycles);
  PartitionEstimate estimate;
  double slowest = 0.0;
  for (size_t core = 0; core < streams.size(); ++core) {
    const CoreBytes bytes = core_bytes(*streams[core], config, array, dtype);
    const double bound = shared_bounds_cycles(bytes, rates[core], sram_port);
    slowest = std::max({slowest, scheduled[core], bound});
    estimate.dram_bytes += bytes.dram;
  }
  // All cores together cannot beat the DRAM (when they touch it: a layer on global SRAM pays no DRAM latency).
  const double fixed = static_cast<double>(config.dma.setup_cycles + dram_latency_cycles(config));
  const double dram_floor =
      estimate.dram_bytes > 0 ? static_cast<double>(estimate.dram_bytes) / dram_bw + 2.0 * fixed : 0.0;
  estimate.cycles = std::max(slowest, dram_floor);
  return estimate;
}

double estimate_layer_cycles(const LayerProgram& program, const NpuConfig& config, double cutoff_cycles) {
  std::vector<const CommandStream*> streams{&program};
  for (const CommandStream& stream : program.more_cores) streams.push_back(&stream);
  return estimate_streams(streams, config, program.dtype, cutoff_cycles).cycles;
}

}  // namespace npusim
