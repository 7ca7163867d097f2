// Validated NPU configuration structs: JSON is parsed once (npu_config_parse.cpp), models only see these.
// Every field is declared once, in the fields() table beside its struct (config_field.h): the parser,
// `npusim validate --print` and the README's field table (`npusim validate --fields`) derive from them.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "arch/spec/config_field_ops.h"
#include "arch/spec/core_config.h"
#include "arch/spec/dtype.h"
#include "arch/spec/energy_config.h"
#include "arch/spec/memory_config.h"
#include "arch/spec/noc_config.h"
#include "arch/spec/power_config.h"
#include "arch/spec/units.h"

namespace npusim {

// default: npusim's own model; scalesim: reproduces SCALE-Sim v2's per-fold accounting.
enum class TimingMode : uint8_t { kDefault, kScaleSim };
inline constexpr const char* kTimingModeNames[] = {"default", "scalesim"};
const char* timing_mode_name(TimingMode mode);

// What the mapper's tile search minimises first. latency: estimated double-buffered layer time, then
// DRAM traffic among plans within 2% of the fastest; traffic: DRAM bytes first (fewest tiles next).
enum class MapperObjective : uint8_t { kLatency, kTraffic };
inline constexpr const char* kMapperObjectiveNames[] = {"latency", "traffic"};
const char* mapper_objective_name(MapperObjective objective);

struct MapperConfig {
  MapperObjective objective = MapperObjective::kLatency;
  static constexpr auto fields() {
    return std::array{field<&MapperConfig::objective>(
                          "objective", "",
                          "latency: the fastest estimated tiling, then the least DRAM traffic among those "
                          "within 0.5% of it; traffic: least DRAM traffic first")
                          .one_of(kMapperObjectiveNames)};
  }
};

// SCALE-Sim's three double-buffered SRAMs and its DRAM interface in words per cycle.
struct ScaleSimConfig {
  uint32_t ifmap_sram_kb = 64;
  uint32_t filter_sram_kb = 64;
  uint32_t ofmap_sram_kb = 64;
  double bandwidth_words_per_cycle = 10.0;
  bool calc_bandwidth = false;  // InterfaceBandwidth CALC
  static constexpr auto fields();
};
constexpr auto ScaleSimConfig::fields() {
  return std::array{
      field<&ScaleSimConfig::ifmap_sram_kb>("ifmap_sram_kb", "kB", "SCALE-Sim input SRAM").positive(),
      field<&ScaleSimConfig::filter_sram_kb>("filter_sram_kb", "kB", "SCALE-Sim filter SRAM").positive(),
      field<&ScaleSimConfig::ofmap_sram_kb>("ofmap_sram_kb", "kB", "SCALE-Sim output SRAM").positive(),
      field<&ScaleSimConfig::bandwidth_words_per_cycle>("bandwidth_words_per_cycle", "words/cycle",
                                                        "SCALE-Sim DRAM interface bandwidth")
          .positive(),
      field<&ScaleSimConfig::calc_bandwidth>("calc_bandwidth", "",
                                             "SCALE-Sim InterfaceBandwidth CALC (true) or USER (false)"),
  };
}

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
  AreaConfig area;
  PowerConfig power;
  TimingMode timing_mode = TimingMode::kDefault;
  ScaleSimConfig scalesim;
  GlobalSramConfig global_sram;
  NocConfig noc;
  static constexpr auto fields();
};
constexpr auto NpuConfig::fields() {
  using C = NpuConfig;
  return std::array{
      field<&C::name>("name", "", "shown in reports"),
      field<&C::description>("description", "", "free text: what the preset models"),
      field<&C::sources>("sources", "", "provenance notes per value (P/S/D/E), kept as given"),
      field<&C::clock_mhz>("clock_mhz", "MHz", "NPU clock").positive(),
      field<&C::cores>("cores", "", "cores, each with its own array, vector unit, SRAM and DMA")
          .within(1, 1024, "every core is elaborated as SystemC modules; larger parts are systems of chips"),
      field<&C::array>("array", "", ""),
      field<&C::sram>("sram", "", ""),
      field<&C::dma>("dma", "", ""),
      field<&C::dram>("dram", "", ""),
      field<&C::vector>("vector", "", ""),
      field<&C::mapper>("mapper", "", ""),
      field<&C::energy>("energy", "", ""),
      field<&C::area>("area", "", ""),
      field<&C::power>("power", "", ""),
      field<&C::timing_mode>("timing.mode", "",
                             "default: npusim's model; scalesim: SCALE-Sim v2's per-fold "
                             "accounting (one core)")
          .one_of(kTimingModeNames),
      field<&C::scalesim>("scalesim", "", ""),
      field<&C::global_sram>("global_sram", "", ""),
      field<&C::noc>("noc", "", ""),
  };
}

// DRAM bytes per NPU clock cycle across all channels, and its latency in NPU cycles (rounded up).
double dram_bytes_per_cycle(const DramConfig& dram, double clock_mhz);
Cycles dram_latency_cycles(const DramConfig& dram, double clock_mhz);
inline double dram_bytes_per_cycle(const NpuConfig& config) {
  return dram_bytes_per_cycle(config.dram, config.clock_mhz);
}
inline Cycles dram_latency_cycles(const NpuConfig& config) {
  return dram_latency_cycles(config.dram, config.clock_mhz);
}

}  // namespace npusim
