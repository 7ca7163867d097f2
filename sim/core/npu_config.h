// Validated NPU configuration structs: JSON is parsed once (npu_config_parse.cpp), models only see these.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/core/dtype.h"
#include "sim/core/units.h"

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
  std::string kind = "lpddr4x";          // memory type: selects energy per bit later
  double bandwidth_gbytes_per_s = 34.0;  // all channels together
  uint32_t channels = 2;
  double latency_ns = 100.0;
  Bytes interleave_bytes = 256;
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
  double clock_mhz = 1000.0;
  ArrayConfig array;
  SramConfig sram;
  DmaConfig dma;
  DramConfig dram;
  VectorConfig vector;
  MapperConfig mapper;
  TimingMode timing_mode = TimingMode::kDefault;
  ScaleSimConfig scalesim;
};

// DRAM bytes per NPU clock cycle across all channels.
double dram_bytes_per_cycle(const NpuConfig& config);
Cycles dram_latency_cycles(const NpuConfig& config);

}  // namespace npusim
