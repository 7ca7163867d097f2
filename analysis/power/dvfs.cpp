#include "analysis/power/dvfs.h"

#include <algorithm>

namespace npusim {

double dvfs_voltage_v(const DvfsLaw& law, double clock_mhz) {
  const double fraction = clock_mhz / law.nominal_clock_mhz;
  if (law.min_clock_fraction >= 1.0) return law.nominal_voltage_v;
  const double t = std::clamp((fraction - law.min_clock_fraction) / (1.0 - law.min_clock_fraction), 0.0, 1.0);
  return law.nominal_voltage_v * (law.min_voltage_fraction + (1.0 - law.min_voltage_fraction) * t);
}

double dvfs_power_w(const DvfsLaw& law, const PowerSplit& nominal, double clock_mhz) {
  const double f = clock_mhz / law.nominal_clock_mhz;
  const double v = dvfs_voltage_v(law, clock_mhz) / law.nominal_voltage_v;
  return nominal.core_dynamic_w * f * v * v + nominal.dram_w * f + nominal.idle_w * v * v;
}

CappedPoint dvfs_capped_point(const DvfsLaw& law, const PowerSplit& nominal, double cap_w) {
  const auto point_at = [&](double clock_mhz, bool met) {
    return CappedPoint{clock_mhz, dvfs_voltage_v(law, clock_mhz), dvfs_power_w(law, nominal, clock_mhz), met};
  };
  const double high = law.nominal_clock_mhz;
  if (nominal.total_w() <= cap_w) return point_at(high, true);
  const double low = law.nominal_clock_mhz * law.min_clock_fraction;
  if (dvfs_power_w(law, nominal, low) > cap_w) return point_at(low, false);
  // Power rises monotonically with clock (f, V and V² all do): bisect to 1e-9 of the nominal clock.
  double lo = low;
  double hi = high;
  while (hi - lo > 1e-9 * high) {
    const double mid = 0.5 * (lo + hi);
    (dvfs_power_w(law, nominal, mid) <= cap_w ? lo : hi) = mid;
  }
  return point_at(lo, true);
}

EnergyEventTable energy_table_at_voltage(const EnergyEventTable& table, double voltage_ratio) {
  const double scale = voltage_ratio * voltage_ratio;
  EnergyEventTable scaled = table;
  for (double& mac_pj : scaled.mac_pj) mac_pj *= scale;
  scaled.sram_read_pj_per_byte *= scale;
  scaled.sram_write_pj_per_byte *= scale;
  scaled.noc_pj_per_flit_hop *= scale;
  scaled.vector_op_pj *= scale;
  scaled.dma_descriptor_pj *= scale;
  scaled.leakage_w *= scale;
  return scaled;
}

}  // namespace npusim
