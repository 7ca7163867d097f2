// Fleet sizing arithmetic with injected capacities: device counts are ceil(demand / per-device capacity)
// per demand pool, summed; power, energy and cost follow from the counts.
#include <doctest/doctest.h>

#include "analysis/fleet/fleet_sizing.h"

namespace {

using npusim::DemandCapacity;
using npusim::FleetCandidate;
using npusim::FleetDemand;
using npusim::FleetEconomics;

}  // namespace

TEST_CASE("fleet: device count is ceil(demand / capacity), exact quotients not rounded up") {
  CHECK(npusim::devices_for(10000, 64) == 157u);   // 10000 / 64 = 156.25 -> 157
  CHECK(npusim::devices_for(10000, 2500) == 4u);   // exactly 4
  CHECK(npusim::devices_for(0.3, 0.1) == 3u);      // 0.3 / 0.1 = 3.0000000000000004 in binary: still 3
  CHECK(npusim::devices_for(200, 7.25) == 28u);    // 27.59 -> 28
  CHECK(npusim::devices_for(1, 1e6) == 1u);        // a small demand still needs one device
  CHECK(npusim::devices_for(0, 5) == 0u);          // no demand, no devices
  CHECK_FALSE(npusim::devices_for(10, 0).has_value());  // cannot carry it at all
}

TEST_CASE("fleet: pools per demand are summed; power, energy and cost from the count") {
  // 10,000 cameras at 37 streams per device and 200 req/s at 7.5 req/s per device.
  const std::vector<FleetDemand> demands{{"cameras", 10000, "streams"}, {"chat", 200, "requests_per_s"}};
  const std::vector<DemandCapacity> capacities{{37, ""}, {7.5, ""}};
  const FleetCandidate npu{"rngd", "furiosa-rngd", 10000, 180};
  const FleetEconomics economics{0.12, 5, 1.5};
  const npusim::FleetRow row = npusim::size_fleet(npu, demands, capacities, economics);
  REQUIRE(row.feasible);
  // ceil(10000 / 37) = ceil(270.27) = 271; ceil(200 / 7.5) = ceil(26.67) = 27; 271 + 27 = 298.
  CHECK(row.pools[0].devices == 271u);
  CHECK(row.pools[1].devices == 27u);
  CHECK(row.devices == 298u);
  // 298 x 180 W = 53,640 W; x 1.5 PUE x 8760 h / 1000 = 704,829.6 kWh a year.
  CHECK(row.total_power_w == doctest::Approx(53640.0));
  CHECK(row.energy_per_year_kwh == doctest::Approx(704829.6));
  // capex 298 x $10,000 = $2,980,000; energy $0.12 x 704,829.6 = $84,579.55 a year; 5 years:
  // 2,980,000 + 422,897.76 = $3,402,897.76.
  CHECK(row.capex == doctest::Approx(2980000.0));
  CHECK(row.energy_cost_per_year == doctest::Approx(84579.552));
  CHECK(row.cost_over_years == doctest::Approx(3402897.76));
}

TEST_CASE("fleet: a candidate that cannot carry one demand is infeasible and costs nothing") {
  const std::vector<FleetDemand> demands{{"cameras", 100, "streams"}, {"chat", 5, "requests_per_s"}};
  const std::vector<DemandCapacity> capacities{{10, ""}, {0, "SLO tpot_p99_s=0.001 unreachable"}};
  const npusim::FleetRow row = npusim::size_fleet(FleetCandidate{"edge", "edge-int8", 100, 5}, demands, capacities,
                                                  FleetEconomics{0.1, 3, 1.0});
  CHECK_FALSE(row.feasible);
  CHECK(row.pools[0].devices == 10u);
  CHECK_FALSE(row.pools[1].devices.has_value());
  CHECK(row.pools[1].limit == "SLO tpot_p99_s=0.001 unreachable");
  CHECK(row.devices == 0);
  CHECK(row.cost_over_years == 0);
}

TEST_CASE("fleet: more capacity per device never needs more devices") {
  const std::vector<FleetDemand> demands{{"cameras", 12345, "streams"}};
  uint64_t previous = UINT64_MAX;
  for (double capacity = 1; capacity <= 200; capacity += 0.5) {
    const auto row = npusim::size_fleet(FleetCandidate{"x", "x", 1, 1}, demands, {{capacity, ""}}, FleetEconomics{});
    CHECK(row.devices <= previous);
    previous = row.devices;
  }
}
