// The power cap's DVFS law. Voltage is linear in clock between (f_min, V_min) and (f_nom, V_nom); core
// dynamic power ∝ f·V²; idle power ∝ V²; DRAM energy per bit is fixed, so DRAM power ∝ f. Cycles are held
// (time = cycles / f): exact for compute-bound layers, an upper bound on time for DRAM-bound ones.
#pragma once

#include "analysis/energy/energy_table.h"

namespace npusim {

struct DvfsLaw {
  double nominal_clock_mhz = 1000.0;
  double nominal_voltage_v = 0.75;
  double min_clock_fraction = 0.5;    // of the nominal clock
  double min_voltage_fraction = 0.7;  // of the nominal voltage, at the lowest clock
};

// A run's average power at the nominal point, split by how each part scales with the operating point.
struct PowerSplit {
  double core_dynamic_w = 0.0;  // MAC, SRAM, vector, NoC, DMA
  double dram_w = 0.0;
  double idle_w = 0.0;
  double total_w() const { return core_dynamic_w + dram_w + idle_w; }
};

double dvfs_voltage_v(const DvfsLaw& law, double clock_mhz);
// Average power at `clock_mhz` (within [f_min, f_nom]) of a run that averaged `nominal` at f_nom.
double dvfs_power_w(const DvfsLaw& law, const PowerSplit& nominal, double clock_mhz);

struct CappedPoint {
  double clock_mhz = 0.0;
  double voltage_v = 0.0;
  double average_power_w = 0.0;
  bool cap_met = true;  // false: even the lowest clock draws more than the cap
};
// The highest clock in [f_min, f_nom] whose average power is at most cap_w (f_nom when it already fits).
CappedPoint dvfs_capped_point(const DvfsLaw& law, const PowerSplit& nominal, double cap_w);

// The per-event table at `voltage_ratio` = V / V_nominal: core events (MAC, SRAM, vector, NoC, DMA) and idle
// power scale by its square; DRAM energy per bit does not.
EnergyEventTable energy_table_at_voltage(const EnergyEventTable& table, double voltage_ratio);

}  // namespace npusim
