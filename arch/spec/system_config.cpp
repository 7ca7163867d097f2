// Parsing and checks of a multi-chip system config: fields from their declarations, then whether the
// topology connects every chip with the ports each chip has.
#include "arch/spec/system_config.h"

#include "arch/spec/json_reader.h"

namespace npusim {
namespace {

// Ports a chip needs for the topology to reach every other chip.
uint32_t ports_needed(const SystemConfig& config) {
  if (config.chips <= 1) return 0;
  switch (config.topology) {
    case SystemTopology::kRing: return config.chips == 2 ? 1 : 2;
    case SystemTopology::kFullyConnected: return config.chips - 1;
    case SystemTopology::kSwitch: return 1;
  }
  return 1;
}

void check_connected(const SystemConfig& config, const std::string& file) {
  if (config.npu.empty() == config.gpu.empty()) {
    throw InputError(file, "system.npu", "expected exactly one of system.npu and system.gpu (the chip preset)");
  }
  const uint32_t needed = ports_needed(config);
  if (config.link.ports < needed) {
    throw InputError(file, "system.link.ports",
                     "a " + std::string(system_topology_name(config.topology)) + " of " +
                         std::to_string(config.chips) + " chips needs at least " + std::to_string(needed) +
                         " ports per chip to connect them all, got " + std::to_string(config.link.ports));
  }
}

}  // namespace

const char* chip_link_kind_name(ChipLinkKind kind) { return kChipLinkKindNames[static_cast<size_t>(kind)]; }

const char* system_topology_name(SystemTopology topology) {
  return kSystemTopologyNames[static_cast<size_t>(topology)];
}

uint32_t ports_per_peer(const SystemConfig& config) {
  const uint32_t needed = ports_needed(config);
  if (needed == 0) return config.link.ports;
  if (config.topology == SystemTopology::kSwitch) return config.link.ports;
  return config.link.ports / needed;
}

SystemConfig parse_system_config(const nlohmann::json& document, const std::string& file) {
  SystemConfig config = read_config<SystemConfig>(document, file, "system");
  check_connected(config, file);
  return config;
}

nlohmann::json system_config_to_json(const SystemConfig& config) { return fields_to_json(config); }

}  // namespace npusim
