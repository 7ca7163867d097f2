// Multi-core mapping, the cost model: estimated layer time of per-core command streams.
#include "workloads/mapper/partition_estimate.h"

#include <algorithm>
#include <limits>
#include <set>

#include "arch/timing/noc_topology.h"
#include "arch/timing/systolic_timing.h"
#include "arch/timing/vector_timing.h"

namespace npusim {

namespace {

// Bytes per cycle core `core` can pull through the NoC: one link per distinct last link into it over
// the routes from the DRAM controllers; unlimited when none crosses a link.
double noc_bytes_per_cycle_into(const NpuConfig& config, uint32_t core) {
  const NocTopology topology = make_noc_topology(config.noc, config.cores);
  std::set<uint32_t> last_links;
  std::vector<uint32_t> links;
  for (uint32_t node : noc_dram_nodes(config.noc, config.cores, config.dram.channels)) {
    if (node >= noc_nodes(topology) || core >= noc_nodes(topology)) continue;
    noc_route(topology, node, core, links);
    if (!links.empty()) last_links.insert(links.back());
  }
  if (last_links.empty()) return std::numeric_limits<double>::infinity();
  return static_cast<double>(config.noc.link_bytes_per_cycle) * static_cast<double>(last_links.size());
}

}  // namespace

PartitionEstimate estimate_streams(const std::vector<const CommandStream*>& streams, const NpuConfig& config,
                                   DType dtype) {
  const ArrayShape array = array_shape(config.array, dtype);
  const double dram_bw = dram_bytes_per_cycle(config);
  const double fixed = static_cast<double>(config.dma.setup_cycles + dram_latency_cycles(config));
  PartitionEstimate estimate;
  double slowest = 0.0;
  for (size_t core = 0; core < streams.size(); ++core) {
    Cycles array_cycles = 0, vector_cycles = 0;
    Bytes bytes = 0;
    uint64_t transfers = 0;
    for (const Command& c : streams[core]->commands) {
      switch (c.kind) {
        case CommandKind::kCompute: {
          // Compute-bound, tiles run back to back and only the first pays the pipeline fill and drain
          // (as the array model streams them); memory-bound, the DMA term below dominates anyway.
          const GemmShape tile{c.tile.m, c.tile.n, c.tile.k};
          const bool streamed = array_cycles > 0 && config.array.overlap_folds;
          array_cycles += streamed ? gemm_tile_streamed_cycles(array, config.array.dataflow, tile)
                                   : gemm_tile_cycles(array, config.array.dataflow, tile, config.array.overlap_folds);
          break;
        }
        case CommandKind::kVector:
          vector_cycles += vector_op_cycles(config.vector, c.vector.elements, c.vector.ops_per_element);
          break;
        case CommandKind::kDmaLoad:
        case CommandKind::kDmaStore:
          bytes += c.bytes;
          ++transfers;
          break;
        case CommandKind::kSync:
          break;
      }
    }
    const double core_bw = std::min({static_cast<double>(config.dma.bytes_per_cycle), dram_bw,
                                     noc_bytes_per_cycle_into(config, static_cast<uint32_t>(core))});
    const double dma = static_cast<double>(bytes) / core_bw;
    const double exposed = transfers > 0 ? dma / static_cast<double>(transfers) : 0.0;
    const double engine = static_cast<double>(std::max(array_cycles, vector_cycles));
    slowest = std::max(slowest, std::max(engine, dma) + exposed + fixed);
    estimate.dram_bytes += bytes;
  }
  estimate.cycles = std::max(slowest, static_cast<double>(estimate.dram_bytes) / dram_bw + fixed);
  return estimate;
}

double estimate_layer_cycles(const LayerProgram& program, const NpuConfig& config) {
  std::vector<const CommandStream*> streams{&program};
  for (const CommandStream& stream : program.more_cores) streams.push_back(&stream);
  return estimate_streams(streams, config, program.dtype).cycles;
}

}  // namespace npusim
