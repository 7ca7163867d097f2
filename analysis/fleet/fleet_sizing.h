// Fleet sizing arithmetic (`npusim fleet`): from each candidate device's measured capacity per demand to
// device counts, power, energy and cost. Separate device pools per demand, summed: a device serves one
// demand only (no co-location), so every pool is sized by that demand's own capacity measurement.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace npusim {

// One demand the fleet must carry: `amount` in the unit its capacity is measured in (camera streams,
// requests per second).
struct FleetDemand {
  std::string name;
  double amount = 0;
  std::string unit;  // "streams" or "requests_per_s"
};

struct FleetCandidate {
  std::string name;
  std::string device;  // preset or file, for the report
  double unit_price_usd = 0;
  double board_power_w = 0;  // per device, at full load: what the fleet is provisioned for
};

// What the whole fleet pays: electricity price and the years it runs.
struct FleetEconomics {
  double electricity_usd_per_kwh = 0;
  double years = 1;
  double pue = 1.0;  // facility power / IT power (cooling, conversion); 1 = devices only
};

// Per demand: what one device of the candidate carries alone (0: it cannot meet the demand's
// constraint even alone), and why when it is 0.
struct DemandCapacity {
  double per_device = 0;
  std::string limit;  // why the capacity is what it is ("SLO ttft_p90_s=...", "deadline ..."), for 0
};

struct DemandPool {
  std::string demand;
  double per_device = 0;
  std::optional<uint64_t> devices;  // none: the candidate cannot carry this demand
  std::string limit;
};

struct FleetRow {
  std::string candidate;
  std::string device;
  std::vector<DemandPool> pools;
  bool feasible = false;  // every demand has a pool
  uint64_t devices = 0;   // summed over pools (feasible rows only)
  double unit_price_usd = 0;
  double board_power_w = 0;
  double total_power_w = 0;        // devices * board power (IT power)
  double energy_per_year_kwh = 0;  // total power * PUE * 8760 h / 1000
  double capex = 0;                // devices * unit price
  double energy_cost_per_year = 0;
  double cost_over_years = 0;  // capex + years * energy cost per year
};

inline constexpr double kHoursPerYear = 8760.0;

// ceil(amount / per_device) without the floating-point round-up of an exact quotient (10000 / 2500 is
// 4, not 5); none when per_device is 0.
std::optional<uint64_t> devices_for(double amount, double per_device);

// `capacities[d]` belongs to `demands[d]`.
FleetRow size_fleet(const FleetCandidate& candidate, const std::vector<FleetDemand>& demands,
                    const std::vector<DemandCapacity>& capacities, const FleetEconomics& economics);

}  // namespace npusim
