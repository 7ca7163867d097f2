// NPU energy = counted events × the per-event table + leakage × time, attributed to one component each;
// and peak power over a sliding window of the per-layer energy timeline.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "analysis/energy/energy_table.h"
#include "arch/isa/layer_stats.h"
#include "arch/spec/dtype.h"
#include "arch/spec/units.h"

namespace npusim {

// The raw event counts the energy model prices (one place maps simulator counters onto them).
struct EnergyEvents {
  uint64_t macs = 0;
  uint64_t vector_ops = 0;
  Bytes sram_read_bytes = 0;
  Bytes sram_write_bytes = 0;
  Bytes dram_read_bytes = 0;
  Bytes dram_write_bytes = 0;
  uint64_t dma_transfers = 0;  // one descriptor each
  uint64_t noc_flit_hops = 0;  // LayerStats has no NoC counter yet: 0 from layer_energy_events
};

EnergyEvents layer_energy_events(const LayerStats& stats);

struct EnergyBreakdown {
  double mac_j = 0.0;
  double sram_j = 0.0;
  double dram_j = 0.0;
  double vector_j = 0.0;
  double noc_j = 0.0;
  double dma_j = 0.0;
  double leakage_j = 0.0;
  double total_j = 0.0;  // the sum of the components above

  EnergyBreakdown& operator+=(const EnergyBreakdown& other);
};

// mac_dtype: the operand type of the layer's MACs. seconds: the layer's duration (leakage).
EnergyBreakdown event_energy(const EnergyEvents& events, DType mac_dtype, const EnergyEventTable& table,
                             double seconds);
EnergyBreakdown npu_layer_energy(const LayerStats& stats, DType mac_dtype, const EnergyEventTable& table,
                                 double seconds);

nlohmann::json energy_breakdown_to_json(const EnergyBreakdown& energy);

// One stretch of the timeline: `energy_j` spent evenly over `cycles` (a 0-cycle span is an impulse).
struct EnergySpan {
  Cycles cycles = 0;
  double energy_j = 0.0;
};

// Highest average power over any window of `window_cycles` placed within the run, the spans laid end
// to end from cycle 0 as piecewise-constant power (an impulse counts in every window that touches it).
// A window at least as long as the run gives the run's average power; a run of 0 cycles gives 0.
// Throws std::invalid_argument for window_cycles == 0 or clock_mhz <= 0.
double peak_window_power_w(const std::vector<EnergySpan>& spans, Cycles window_cycles, double clock_mhz);

}  // namespace npusim
