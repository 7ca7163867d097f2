// Validated NPU configuration structs: JSON is parsed once (npu_config_parse.cpp), models only see these.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <variant>
#include <vector>

#include "arch/spec/dtype.h"
#include "arch/spec/energy_config.h"
#include "arch/spec/units.h"

namespace npusim {

enum class Dataflow : uint8_t { kOutputStationary, kWeightStationary, kInputStationary };
const char* dataflow_name(Dataflow dataflow);  // "os", "ws", "is"

// default: npusim's own model; scalesim: reproduces SCALE-Sim v2's per-fold accounting.
enum class TimingMode : uint8_t { kDefault, kScaleSim };
const char* timing_mode_name(TimingMode mode);

struct ArrayConfig {
  uint32_t rows = 32;
  uint32_t cols = 32;
  Dataflow dataflow = Dataflow::kWeightStationary;
  // Overlap the next fold's fill with the previous fold's drain (real arrays do when operands are
  // ready); SCALE-Sim mode never overlaps.
  bool overlap_folds = true;
  std::vector<DType> dtypes{DType::kInt8};  // supported operand types, first is the default
};

struct SramConfig {
  Bytes capacity_bytes = 2 * kMiB;  // unified scratchpad per core
  uint32_t banks = 16;
  uint32_t bank_width_bytes = 64;  // bytes per bank per cycle
  Cycles latency_cycles = 2;
};

struct DmaConfig {
  uint32_t max_outstanding = 8;   // descriptors in flight
  Cycles setup_cycles = 16;       // descriptor decode before the first request
  uint32_t bytes_per_cycle = 64;  // engine port width
};

struct DramConfig {
  std::string preset;                    // configs/dram/<preset>.json supplied the defaults ("" = none)
  std::string kind = "lpddr4x";          // memory type: selects energy per bit
  double bandwidth_gbytes_per_s = 34.0;  // all channels together
  uint32_t channels = 2;
  double latency_ns = 100.0;
  Bytes interleave_bytes = 256;
  Bytes capacity_bytes = 16ull << 30;  // weights + KV cache must fit (LLM mode checks); 16 GiB, E
};

struct VectorConfig {
  uint32_t lanes = 64;              // elements per cycle for a 1-op element
  Cycles latency_cycles = 8;        // pipeline depth, paid once per vector command
  bool depthwise_on_vector = true;  // real NPUs run depthwise conv on the vector unit
};

// What the mapper's tile search minimises first. latency: estimated double-buffered layer time, then
// DRAM traffic among plans within 2% of the fastest; traffic: DRAM bytes first (fewest tiles next).
enum class MapperObjective : uint8_t { kLatency, kTraffic };
const char* mapper_objective_name(MapperObjective objective);

struct MapperConfig {
  MapperObjective objective = MapperObjective::kLatency;
};

// Shared on-chip SRAM behind the NoC (at noc.global_sram_node); capacity 0 = none.
struct GlobalSramConfig {
  Bytes capacity_bytes = 0;
  uint32_t bytes_per_cycle = 128;  // its one port, shared by every core
  Cycles latency_cycles = 4;
};

// NoC topologies, chosen by "kind" (a closed variant: arch/timing/noc_topology.h builds the model).
// Cores sit at nodes 0..cores-1; DRAM controllers and the global SRAM attach at configurable nodes.
struct MeshNocConfig {  // XY routing (X = columns first), node id = row * cols + col
  uint32_t rows = 0;    // 0 for both: the most square grid holding the cores (resolved by the parser)
  uint32_t cols = 0;
};
struct RingNocConfig {  // bidirectional, shortest direction (clockwise on a tie)
  uint32_t nodes = 0;   // 0: one per core
};
struct CrossbarNocConfig {  // every node has a link into and one out of a single switch (one hop)
  uint32_t nodes = 0;       // 0: one per core
};
struct IdealNocConfig {};  // no links, no latency: contention-free reference
using NocTopologyConfig = std::variant<MeshNocConfig, RingNocConfig, CrossbarNocConfig, IdealNocConfig>;
const char* noc_kind_name(const NocTopologyConfig& topology);  // "mesh", "ring", "crossbar", "ideal"

struct NocConfig {
  NocTopologyConfig topology = MeshNocConfig{};
  uint32_t link_bytes_per_cycle = 64;  // per direction, per link
  Cycles hop_latency_cycles = 2;       // router + link traversal per hop
  uint32_t flit_bytes = 32;            // counts flit-hops (energy); timing is per transfer
  // One DRAM controller per entry; channel c is served by dram_nodes[c % size]. The parser fills in
  // one per channel, spread evenly over the node ids, when absent.
  std::vector<uint32_t> dram_nodes;
  uint32_t global_sram_node = 0;
};
// A mesh's 0 sizes filled in for `cores`: both 0 -> rows = floor(sqrt(cores)), cols = ceil(cores / rows);
// one 0 -> just enough of it. The parser stores the result; models call it for hand-built configs.
MeshNocConfig resolved_mesh(MeshNocConfig mesh, uint32_t cores);
// Nodes of the configured topology (mesh rows*cols; ring/crossbar nodes, 0 = cores; ideal: cores).
uint32_t noc_node_count(const NocConfig& noc, uint32_t cores);
// noc.dram_nodes, or when empty one controller per DRAM channel c at node c * nodes / channels.
std::vector<uint32_t> noc_dram_nodes(const NocConfig& noc, uint32_t cores, uint32_t dram_channels);
// "4x4 mesh", "8-node ring", "6-node crossbar", "ideal NoC of 4 nodes": for messages.
std::string noc_shape_text(const NocConfig& noc, uint32_t cores);

// SCALE-Sim's three double-buffered SRAMs and its DRAM interface in words per cycle.
struct ScaleSimConfig {
  uint32_t ifmap_sram_kb = 64;
  uint32_t filter_sram_kb = 64;
  uint32_t ofmap_sram_kb = 64;
  double bandwidth_words_per_cycle = 10.0;
};

struct NpuConfig {
  std::string name = "custom";
  std::string description;
  nlohmann::json sources = nlohmann::json::object();  // free-form provenance notes, kept as given
  double clock_mhz = 1000.0;
  uint32_t cores = 1;  // each with its own array, vector unit, SRAM and DMA (the structs below)
  ArrayConfig array;
  SramConfig sram;
  DmaConfig dma;
  DramConfig dram;
  VectorConfig vector;
  MapperConfig mapper;
  EnergyConfig energy;
  TimingMode timing_mode = TimingMode::kDefault;
  ScaleSimConfig scalesim;
  GlobalSramConfig global_sram;
  NocConfig noc;
};

// DRAM bytes per NPU clock cycle across all channels.
double dram_bytes_per_cycle(const NpuConfig& config);
Cycles dram_latency_cycles(const NpuConfig& config);

}  // namespace npusim
