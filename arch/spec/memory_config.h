// The memories beyond a core's scratchpad: DRAM and the shared global SRAM, with their declared fields.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "arch/spec/config_field_ops.h"
#include "arch/spec/units.h"

namespace npusim {

struct DramConfig {
  std::string preset;
  std::string kind = "lpddr4x";
  double bandwidth_gbytes_per_s = 34.0;
  uint32_t channels = 2;
  double latency_ns = 100.0;
  Bytes interleave_bytes = 256;
  Bytes capacity_bytes = 16ull << 30;
  static constexpr auto fields();
};

// "dram.preset": configs/dram/<preset>.json supplies the other dram fields' defaults (those given beside
// it override them). Its file holds {"description", "sources", "dram": {...}}, so the same file also
// works as a "base" of an NPU preset.
void apply_dram_preset(ObjectReader& reader, DramConfig& dram);

constexpr auto DramConfig::fields() {
  return std::array{
      field<&DramConfig::preset>("preset", "",
                                 "a file in configs/dram/ whose values are defaults for the "
                                 "fields beside it (\"\" = none)")
          .then(apply_dram_preset),
      field<&DramConfig::kind>("kind", "", "memory type; selects the energy per bit"),
      field<&DramConfig::bandwidth_gbytes_per_s>("bandwidth_gbytes_per_s", "GB/s", "all channels together")
          .positive(),
      field<&DramConfig::channels>("channels", "", "independent channels, addresses interleaved").positive(),
      field<&DramConfig::latency_ns>("latency_ns", "ns", "access latency").non_negative(),
      field<&DramConfig::interleave_bytes>("interleave_bytes", "bytes", "interleaving granule over channels")
          .positive(),
      field<&DramConfig::capacity_bytes>("capacity_bytes", "bytes",
                                         "weights and KV cache must fit (LLM mode checks)")
          .positive()
          .sourced("E: 16 GiB"),
  };
}

// Shared on-chip SRAM behind the NoC (at noc.global_sram_node).
struct GlobalSramConfig {
  Bytes capacity_bytes = 0;
  uint32_t bytes_per_cycle = 128;
  Cycles latency_cycles = 4;
  static constexpr auto fields();
};
constexpr auto GlobalSramConfig::fields() {
  return std::array{
      field<&GlobalSramConfig::capacity_bytes>("capacity_bytes", "bytes",
                                               "shared SRAM behind the NoC; 0 = none"),
      field<&GlobalSramConfig::bytes_per_cycle>("bytes_per_cycle", "bytes/cycle",
                                                "its one port, shared by every core")
          .positive(),
      field<&GlobalSramConfig::latency_cycles>("latency_cycles", "cycles", "access latency"),
  };
}

}  // namespace npusim
