#include "sim/fleet/fleet_report.h"

#include <fmt/format.h>

#include "sim/io/csv_cell.h"

namespace npusim {
namespace {

nlohmann::ordered_json demands_json(const FleetSpec& spec) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  const std::vector<FleetDemand> demands = fleet_demands(spec);
  for (size_t d = 0; d < spec.demands.size(); ++d) {
    const DemandSpec& s = spec.demands[d];
    nlohmann::ordered_json item{{"name", s.name}, {"amount", demands[d].amount}, {"unit", demands[d].unit}};
    if (s.is_llm) {
      item["model"] = s.llm.model;
      item["slo"] = s.llm.slo;
    } else {
      item["model"] = s.streams.model;
      item["rate_hz"] = s.streams.rate_hz;
      item["deadline_s"] = s.streams.deadline_s;
    }
    out.push_back(item);
  }
  return out;
}

nlohmann::ordered_json pool_json(const DemandPool& pool, const CapacityNote& note) {
  nlohmann::ordered_json item{{"demand", pool.demand}, {"per_device", pool.per_device}, {"method", note.method}};
  if (note.frame_latency_s > 0) item["frame_latency_s"] = note.frame_latency_s;
  if (note.chips > 1) item["chips"] = note.chips;
  item["devices"] = pool.devices ? nlohmann::ordered_json(*pool.devices) : nlohmann::ordered_json(nullptr);
  if (!pool.limit.empty()) item["limit"] = pool.limit;
  return item;
}

nlohmann::ordered_json optional_number(bool present, double value) {
  return present ? nlohmann::ordered_json(value) : nlohmann::ordered_json(nullptr);
}

}  // namespace

nlohmann::ordered_json fleet_json(const FleetSpec& spec, const std::vector<FleetRow>& rows,
                                  const std::vector<std::vector<CapacityNote>>& notes) {
  nlohmann::ordered_json root;
  root["fleet_schema_version"] = kFleetSchemaVersion;
  root["spec"] = spec.file;
  root["rule"] = "separate device pools per demand, summed: devices = sum over demands of ceil(amount / per-device capacity)";
  root["economics"] = {{"electricity_usd_per_kwh", spec.economics.electricity_usd_per_kwh},
                       {"years", spec.economics.years},
                       {"pue", spec.economics.pue}};
  root["demands"] = demands_json(spec);
  nlohmann::ordered_json candidates = nlohmann::ordered_json::array();
  for (size_t c = 0; c < rows.size(); ++c) {
    const FleetRow& r = rows[c];
    nlohmann::ordered_json item{{"name", r.candidate}, {"device", r.device}, {"feasible", r.feasible}};
    nlohmann::ordered_json pools = nlohmann::ordered_json::array();
    for (size_t d = 0; d < r.pools.size(); ++d) pools.push_back(pool_json(r.pools[d], notes[c][d]));
    item["pools"] = pools;
    item["unit_price_usd"] = r.unit_price_usd;
    item["board_power_w"] = r.board_power_w;
    item["devices"] = r.feasible ? nlohmann::ordered_json(r.devices) : nlohmann::ordered_json(nullptr);
    item["total_power_w"] = optional_number(r.feasible, r.total_power_w);
    item["energy_per_year_kwh"] = optional_number(r.feasible, r.energy_per_year_kwh);
    item["capex"] = optional_number(r.feasible, r.capex);
    item["energy_cost_per_year"] = optional_number(r.feasible, r.energy_cost_per_year);
    item["cost_over_years"] = optional_number(r.feasible, r.cost_over_years);
    candidates.push_back(item);
  }
  root["candidates"] = candidates;
  return root;
}

std::string fleet_csv(const std::vector<FleetRow>& rows) {
  std::string out =
      "candidate,device,feasible,devices,unit_price_usd,board_power_w,total_power_w,energy_per_year_kwh,capex,"
      "energy_cost_per_year,cost_over_years\n";
  for (const FleetRow& r : rows) {
    const auto cell = [&](double v) { return r.feasible ? csv_cell_text(v) : std::string(); };
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", csv_cell_text(r.candidate), csv_cell_text(r.device),
                       r.feasible ? "true" : "false", r.feasible ? std::to_string(r.devices) : std::string(),
                       csv_cell_text(r.unit_price_usd), csv_cell_text(r.board_power_w), cell(r.total_power_w),
                       cell(r.energy_per_year_kwh), cell(r.capex), cell(r.energy_cost_per_year),
                       cell(r.cost_over_years));
  }
  return out;
}

std::string fleet_table(const FleetSpec& spec, const std::vector<FleetRow>& rows) {
  std::string out = fmt::format("{:<22} {:>9} {:>11} {:>14} {:>14} {:>16}\n", "candidate", "devices", "power kW",
                                "energy MWh/yr", "capex USD",
                                fmt::format("cost {:g} yr USD", spec.economics.years));
  for (const FleetRow& r : rows) {
    if (!r.feasible) {
      std::string why;
      for (const DemandPool& p : r.pools)
        if (!p.devices) why += (why.empty() ? "" : "; ") + p.demand + ": " + p.limit;
      out += fmt::format("{:<22} infeasible: {}\n", r.candidate, why);
      continue;
    }
    out += fmt::format("{:<22} {:>9} {:>11.1f} {:>14.1f} {:>14.0f} {:>16.0f}\n", r.candidate, r.devices,
                       r.total_power_w / 1e3, r.energy_per_year_kwh / 1e3, r.capex, r.cost_over_years);
    for (const DemandPool& p : r.pools)
      out += fmt::format("  {:<20} {:>9} devices at {:.4g} per device\n", p.demand, *p.devices, p.per_device);
  }
  return out;
}

}  // namespace npusim
