// fleet.json (schema `fleet_schema_version`), fleet.csv (one row per candidate) and the stdout table.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/fleet/fleet_sizing.h"
#include "sim/fleet/fleet_spec.h"

namespace npusim {

inline constexpr int kFleetSchemaVersion = 1;

// How each capacity was measured, per candidate and demand, beside the sizing rows.
struct CapacityNote {
  std::string method;   // "find_max_rate", "find_max_streams" or "serial_latency"
  double frame_latency_s = 0;  // serial_latency: one frame alone on the device
  uint32_t chips = 1;          // a system: per_device = chips x one chip's capacity
};

nlohmann::ordered_json fleet_json(const FleetSpec& spec, const std::vector<FleetRow>& rows,
                                  const std::vector<std::vector<CapacityNote>>& notes);
std::string fleet_csv(const std::vector<FleetRow>& rows);
std::string fleet_table(const FleetSpec& spec, const std::vector<FleetRow>& rows);

}  // namespace npusim
