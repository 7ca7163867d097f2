#include "analysis/fleet/fleet_sizing.h"

#include <cmath>
#include <stdexcept>

namespace npusim {

std::optional<uint64_t> devices_for(double amount, double per_device) {
  if (!(per_device > 0) || !std::isfinite(per_device)) return std::nullopt;
  if (!(amount > 0)) return uint64_t{0};
  const double quotient = amount / per_device;
  auto devices = static_cast<uint64_t>(std::ceil(quotient));
  // A quotient a rounding step above an integer (e.g. 0.3 / 0.1) must not buy one more device.
  if (devices > 1 && static_cast<double>(devices - 1) * per_device >= amount) --devices;
  return devices;
}

FleetRow size_fleet(const FleetCandidate& candidate, const std::vector<FleetDemand>& demands,
                    const std::vector<DemandCapacity>& capacities, const FleetEconomics& economics) {
  if (capacities.size() != demands.size()) throw std::logic_error("size_fleet: one capacity per demand");
  FleetRow row;
  row.candidate = candidate.name;
  row.device = candidate.device;
  row.unit_price_usd = candidate.unit_price_usd;
  row.board_power_w = candidate.board_power_w;
  row.feasible = true;
  for (size_t d = 0; d < demands.size(); ++d) {
    DemandPool pool{demands[d].name, capacities[d].per_device, devices_for(demands[d].amount, capacities[d].per_device),
                    capacities[d].limit};
    if (pool.devices) {
      row.devices += *pool.devices;
    } else {
      row.feasible = false;
    }
    row.pools.push_back(std::move(pool));
  }
  if (!row.feasible) {
    row.devices = 0;
    return row;
  }
  const auto devices = static_cast<double>(row.devices);
  row.total_power_w = devices * candidate.board_power_w;
  row.energy_per_year_kwh = row.total_power_w * economics.pue * kHoursPerYear / 1000.0;
  row.capex = devices * candidate.unit_price_usd;
  row.energy_cost_per_year = row.energy_per_year_kwh * economics.electricity_usd_per_kwh;
  row.cost_over_years = row.capex + economics.years * row.energy_cost_per_year;
  return row;
}

}  // namespace npusim
