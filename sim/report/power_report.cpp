// The power side of a run's report: die area and idle power (analysis/power), modeled power against the
// TDP, and the clock the power cap sustained.
#include <fmt/format.h>

#include "sim/report/run_report.h"

namespace npusim {

NpuConfig operating_config(const RunReport& report) {
  NpuConfig config = report.config;
  if (report.operating.clock_mhz > 0.0) config.clock_mhz = report.operating.clock_mhz;
  return config;
}

nlohmann::ordered_json power_section(const RunReport& report) {
  nlohmann::ordered_json section = power_model_to_json(report.power, report.config);
  const PowerConfig& power = report.config.power;
  section["power_cap_w"] = power.cap_w ? nlohmann::ordered_json(*power.cap_w) : nlohmann::ordered_json(nullptr);
  section["nominal_clock_mhz"] = report.config.clock_mhz;
  section["sustained_clock_mhz"] = report.operating.clock_mhz;
  section["sustained_voltage_v"] = report.operating.voltage_v;
  section["uncapped_average_power_w"] = report.operating.uncapped_average_power_w;
  section["capped"] = report.operating.capped;
  section["cap_met"] = report.operating.cap_met;
  section["dvfs_law"] = fmt::format(
      "V linear in f from {:.3g} x V at {:.3g} x clock_mhz up to V at clock_mhz; core dynamic power ~ f V^2, "
      "idle power ~ V^2, DRAM energy per bit fixed; cycles held, time = cycles / f (an upper bound for "
      "DRAM-bound layers)",
      power.dvfs_min_voltage_fraction, power.dvfs_min_clock_fraction);
  return section;
}

std::string power_lines(const RunReport& report, const nlohmann::ordered_json& totals) {
  const double average = totals["average_power_w"].get<double>();
  const double peak = totals["peak_power_w"].get<double>();
  std::string out;
  if (totals["tdp_w"].is_null()) {
    out = fmt::format("  power: average {:.3g} W, peak {:.3g} W; no TDP stated (npu.power.tdp_w)\n", average, peak);
  } else {
    const double tdp = totals["tdp_w"].get<double>();
    const double worst = std::max(average, peak);
    out = fmt::format("  power vs TDP {:.4g} W: average {:.3g} W ({:.0f}%), peak {:.3g} W ({:.0f}%): {}\n", tdp,
                      average, 100.0 * average / tdp, peak, 100.0 * peak / tdp,
                      worst <= tdp ? std::string("within TDP")
                                   : fmt::format("EXCEEDS TDP by {:.3g} W ({:.0f}%)", worst - tdp,
                                                 100.0 * (worst / tdp - 1.0)));
  }
  if (report.config.power.cap_w) {
    out += fmt::format("  power cap {:.4g} W: sustained clock {:.1f} of {:.0f} MHz at {:.3f} V{}\n",
                       *report.config.power.cap_w, report.operating.clock_mhz, report.config.clock_mhz,
                       report.operating.voltage_v,
                       report.operating.cap_met ? "" : " (cap not met at the lowest DVFS clock)");
  }
  return out;
}

}  // namespace npusim
