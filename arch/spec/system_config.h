// A multi-chip system: how many chips of which preset, the chip-to-chip links between them, their
// topology and the host's cost per collective. Declared once in fields() like the NPU config.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "arch/spec/config_field_ops.h"

namespace npusim {

enum class ChipLinkKind : uint8_t { kPcie4, kPcie5, kNvlink3, kNvlink4, kUcie, kRoce };
inline constexpr const char* kChipLinkKindNames[] = {"pcie4", "pcie5", "nvlink3", "nvlink4", "ucie", "roce"};

// ring: each chip's ports split between its two neighbours; fully_connected: between every other chip;
// switch: all ports to a non-blocking switch (NVSwitch, a PCIe switch).
enum class SystemTopology : uint8_t { kRing, kFullyConnected, kSwitch };
inline constexpr const char* kSystemTopologyNames[] = {"ring", "fully_connected", "switch"};

struct ChipLinkConfig {
  ChipLinkKind kind = ChipLinkKind::kPcie5;
  double bandwidth_gbytes_per_s = 64.0;  // per port, per direction
  uint32_t ports = 1;                    // link ports per chip
  double latency_ns = 1000.0;            // per transfer, per hop
  double energy_pj_per_bit = 10.0;       // per bit per link traversed
  static constexpr auto fields();
};
constexpr auto ChipLinkConfig::fields() {
  using C = ChipLinkConfig;
  return std::array{
      field<&C::kind>("kind", "", "chip-to-chip link technology").one_of(kChipLinkKindNames),
      field<&C::bandwidth_gbytes_per_s>("bandwidth_gbytes_per_s", "GB/s", "per port, per direction")
          .positive(),
      field<&C::ports>("ports", "", "link ports per chip").positive(),
      field<&C::latency_ns>("latency_ns", "ns", "latency of one transfer over one hop").non_negative(),
      field<&C::energy_pj_per_bit>("energy_pj_per_bit", "pJ/bit", "energy per bit per link traversed")
          .non_negative(),
  };
}

struct SystemConfig {
  std::string name = "custom";
  std::string description;
  nlohmann::json sources = nlohmann::json::object();
  std::string npu;  // configs/npu preset of each chip ("" for a GPU system)
  std::string gpu;  // configs/gpu preset of each chip ("" for an NPU system)
  uint32_t chips = 1;
  ChipLinkConfig link;
  SystemTopology topology = SystemTopology::kSwitch;
  double host_overhead_ns = 0.0;  // launch and synchronisation per collective
  static constexpr auto fields();
};
constexpr auto SystemConfig::fields() {
  using C = SystemConfig;
  return std::array{
      field<&C::name>("name", "", "shown in reports"),
      field<&C::description>("description", "", "free text: what the preset models"),
      field<&C::sources>("sources", "", "provenance notes per value (P/S/D/E), kept as given"),
      field<&C::npu>("npu", "", "configs/npu preset of each chip"),
      field<&C::gpu>("gpu", "", "configs/gpu preset of each chip (GPU systems)"),
      field<&C::chips>("chips", "", "chips in the system").within(1, 1024, "systems of 1 to 1024 chips"),
      field<&C::link>("link", "", ""),
      field<&C::topology>("topology", "", "how the links connect the chips").one_of(kSystemTopologyNames),
      field<&C::host_overhead_ns>("host_overhead_ns", "ns", "host cost per collective").non_negative(),
  };
}

// Validates every field and that the topology connects all chips with the ports each has; errors name
// the file and "system.<field>".
SystemConfig parse_system_config(const nlohmann::json& document, const std::string& file);
nlohmann::json system_config_to_json(const SystemConfig& config);
// Ports of one chip that lead to `peer` (ring and fully connected) or to the switch.
uint32_t ports_per_peer(const SystemConfig& config);
const char* chip_link_kind_name(ChipLinkKind kind);
const char* system_topology_name(SystemTopology topology);

}  // namespace npusim
