// Multi-core mapping, the cost model: estimated layer time of per-core command streams.
#include "workloads/mapper/partition_estimate.h"

#include <algorithm>
#include <limits>
#include <set>

#include "arch/timing/noc_topology.h"
#include "arch/timing/sram_timing.h"
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

// One core's work in a layer: engine cycles and the bytes it moves to and from each memory.
struct CoreWork {
  Cycles array_cycles = 0, vector_cycles = 0;
  Bytes dram_bytes = 0, global_sram_bytes = 0;
  Bytes load_bytes = 0, store_bytes = 0;
  Bytes dram_load_bytes = 0, global_load_bytes = 0;  // the loads' bytes by memory (the rest are stores)
  uint64_t engine_commands = 0;
  Bytes port_bytes = 0;  // the engines' scratchpad traffic (DMA adds its own load and store bytes)
  uint64_t loads = 0, stores = 0;
  uint64_t input_loads = 0;  // input tiles: each one's load latency shows between compute steps
  // The pipeline's exposed ends: the loads the first engine command waits for, the stores after the last.
  Bytes head_bytes = 0, tail_bytes = 0;
  bool engine_seen = false;
  bool dram_loads = false, dram_stores = false;
};

void add_transfer(const Command& c, CoreWork& work) {
  (c.memory == MemoryKind::kGlobalSram ? work.global_sram_bytes : work.dram_bytes) += c.bytes;
  const bool dram = c.memory == MemoryKind::kDram;
  if (c.kind == CommandKind::kDmaLoad) {
    work.load_bytes += c.bytes;
    (dram ? work.dram_load_bytes : work.global_load_bytes) += c.bytes;
    ++work.loads;
    work.dram_loads = work.dram_loads || dram;
  } else {
    work.store_bytes += c.bytes;
    ++work.stores;
    work.dram_stores = work.dram_stores || dram;
  }
}

// An engine command waiting for a freshly loaded input tile.
bool waits_for_input(const CommandStream& stream, const Command& c) {
  for (uint32_t i = c.dep_begin; i < c.dep_begin + c.dep_count; ++i) {
    const Command& dep = stream.commands[stream.deps[i]];
    if (dep.kind == CommandKind::kDmaLoad && dep.buffer == BufferKind::kInput) return true;
  }
  return false;
}

// Bytes of the loads an engine command depends on directly.
Bytes loaded_before(const CommandStream& stream, const Command& c) {
  Bytes bytes = 0;
  for (uint32_t i = c.dep_begin; i < c.dep_begin + c.dep_count; ++i) {
    const Command& dep = stream.commands[stream.deps[i]];
    if (dep.kind == CommandKind::kDmaLoad) bytes += dep.bytes;
  }
  return bytes;
}

// Tracks the pipeline's ends: the first engine command's loads, and the stores since the last one.
void note_ends(const CommandStream& stream, const Command& c, CoreWork& work) {
  if (c.kind == CommandKind::kCompute || c.kind == CommandKind::kVector) {
    if (!work.engine_seen) work.head_bytes = loaded_before(stream, c);
    work.engine_seen = true;
    ++work.engine_commands;
    work.tail_bytes = 0;
  } else if (c.kind == CommandKind::kDmaStore) {
    work.tail_bytes += c.bytes;
  }
}

CoreWork core_work(const CommandStream& stream, const NpuConfig& config, const ArrayShape& array, DType dtype) {
  CoreWork work;
  for (const Command& c : stream.commands) {
    if (c.kind == CommandKind::kCompute || c.kind == CommandKind::kVector) {
      work.input_loads += waits_for_input(stream, c) ? 1 : 0;
    }
    note_ends(stream, c, work);
    switch (c.kind) {
      case CommandKind::kCompute: {
        // Compute-bound, tiles run back to back and only the first pays the pipeline fill and drain
        // (as the array model streams them); memory-bound, the DMA term dominates anyway. A tile whose
        // operand reads and partial-sum writes need the scratchpad port longer runs at the port's pace.
        const GemmShape tile{c.tile.m, c.tile.n, c.tile.k};
        const bool streamed = work.array_cycles > 0 && config.array.overlap_folds;
        work.array_cycles += array_tile_busy_cycles(array, config.array.dataflow, tile, dtype, config.sram,
                                                    config.array.overlap_folds, streamed);
        work.port_bytes += array_tile_sram_bytes(array, config.array.dataflow, tile, dtype).total();
        break;
      }
      case CommandKind::kVector:
        // As the vector unit: its ALU time or, when longer, its scratchpad traffic through the port.
        work.vector_cycles +=
            std::max(vector_op_cycles(config.vector, c.vector.elements, c.vector.ops_per_element),
                     sram_port_cycles(config.sram, c.vector.read_bytes + c.vector.write_bytes));
        work.port_bytes += c.vector.read_bytes + c.vector.write_bytes;
        break;
      case CommandKind::kDmaLoad:
      case CommandKind::kDmaStore:
        add_transfer(c, work);
        break;
      case CommandKind::kSync:
        break;
    }
  }
  return work;
}

// One core's layer time as a three-stage pipeline (load queue, engines, store queue) over its tiles,
// bounded as a flow shop: the busiest stage runs end to end and the others show only at the ends -- the
// loads the first engine command waits for, one engine command, the stores after the last one. The load
// and store queues run side by side at the DMA port's rate, each also bounded by its share of DRAM and
// the global SRAM, which serve them independently. Each end pays the descriptor setup and the memory
// latency once. The array and the vector unit are summed: where a layer uses both (attention's softmax
// between its matmuls) each waits for the other's results. With two buffers per operand, each new input
// tile's load latency shows once between compute steps (the simulated layers that are neither DMA- nor
// compute-bound measure exactly that).
struct MemoryLatency {
  double dram_cycles = 0.0, global_sram_cycles = 0.0;  // descriptor setup + access latency
  double port_bytes_per_cycle = 0.0;                   // the core's scratchpad port, shared by every unit
  double dma_port_bytes_per_cycle = 0.0;               // each of the DMA's load and store queues
};
struct CoreRates {
  double dram = 0.0, global_sram = 0.0;  // the core's share while every core of the layer streams
};
double queue_cycles(Bytes total, Bytes dram, Bytes global_sram, const CoreRates& rates, double dma_port) {
  return std::max({static_cast<double>(total) / dma_port, static_cast<double>(dram) / rates.dram,
                   static_cast<double>(global_sram) / rates.global_sram});
}
double per_byte(double cycles, Bytes bytes) { return bytes > 0 ? cycles / static_cast<double>(bytes) : 0.0; }

double core_cycles(const CoreWork& work, const CoreRates& rates, const MemoryLatency& latency) {
  const double loads = queue_cycles(work.load_bytes, work.dram_load_bytes, work.global_load_bytes, rates,
                                    latency.dma_port_bytes_per_cycle);
  const double stores = queue_cycles(work.store_bytes, work.dram_bytes - work.dram_load_bytes,
                                     work.global_sram_bytes - work.global_load_bytes, rates,
                                     latency.dma_port_bytes_per_cycle);
  const double shared = std::max(static_cast<double>(work.dram_bytes) / rates.dram,
                                 static_cast<double>(work.global_sram_bytes) / rates.global_sram);
  const double head = static_cast<double>(work.head_bytes) * per_byte(loads, work.load_bytes);
  const double tail = static_cast<double>(work.tail_bytes) * per_byte(stores, work.store_bytes);
  const double engine = static_cast<double>(work.array_cycles + work.vector_cycles);
  const double one_engine = work.engine_commands > 0 ? engine / static_cast<double>(work.engine_commands) : 0.0;
  const double load_latency = work.dram_loads ? latency.dram_cycles : latency.global_sram_cycles;
  const double store_latency = work.dram_stores ? latency.dram_cycles : latency.global_sram_cycles;
  const double between = static_cast<double>(work.input_loads > 1 ? work.input_loads - 1 : 0) * load_latency;
  const double ends = (work.loads > 0 ? load_latency : 0.0) + (work.stores > 0 ? store_latency : 0.0);
  const double engine_bound = head + engine + between + tail;
  const double load_bound = loads + one_engine + tail;
  const double store_bound = head + one_engine + stores;
  // Port-bound, the engines' operand traffic and the DMA's tiles queue on the one scratchpad port.
  const double port = static_cast<double>(work.port_bytes + work.load_bytes + work.store_bytes) /
                      latency.port_bytes_per_cycle;
  return std::max({ends + std::max({engine_bound, load_bound, store_bound}), shared + load_latency,
                   port + load_latency});
}

}  // namespace

PartitionEstimate estimate_streams(const std::vector<const CommandStream*>& streams, const NpuConfig& config,
                                   DType dtype) {
  const ArrayShape array = array_shape(config.array, dtype);
  const double dram_bw = dram_bytes_per_cycle(config);
  const double cores = static_cast<double>(streams.size());
  const double port = static_cast<double>(config.dma.bytes_per_cycle);
  // Every core of the layer streams at once: each gets its share of DRAM and of the global SRAM port.
  const double global_bw = std::min(port, static_cast<double>(config.global_sram.bytes_per_cycle) / cores);
  const double fixed = static_cast<double>(config.dma.setup_cycles + dram_latency_cycles(config));
  const MemoryLatency latency{fixed, static_cast<double>(config.dma.setup_cycles + config.global_sram.latency_cycles),
                              static_cast<double>(std::max<uint64_t>(sram_port_bytes_per_cycle(config.sram), 1)),
                              std::max(port, 1.0)};
  PartitionEstimate estimate;
  double slowest = 0.0;
  for (size_t core = 0; core < streams.size(); ++core) {
    const CoreWork work = core_work(*streams[core], config, array, dtype);
    const CoreRates rates{
        std::min({port, dram_bw / cores, noc_bytes_per_cycle_into(config, static_cast<uint32_t>(core))}),
        global_bw};
    slowest = std::max(slowest, core_cycles(work, rates, latency));
    estimate.dram_bytes += work.dram_bytes;
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
