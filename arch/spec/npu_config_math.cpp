// Derived quantities of an NpuConfig that the timing models and reports share, and enum names.
#include <cmath>

#include "arch/spec/npu_config.h"

namespace npusim {

const char* dataflow_name(Dataflow dataflow) { return kDataflowNames[static_cast<size_t>(dataflow)]; }

const char* mapper_objective_name(MapperObjective objective) {
  return kMapperObjectiveNames[static_cast<size_t>(objective)];
}

const char* timing_mode_name(TimingMode mode) { return kTimingModeNames[static_cast<size_t>(mode)]; }

double dram_bytes_per_cycle(const DramConfig& dram, double clock_mhz) {
  // GB/s over MHz: 1e9 B/s / 1e6 cycles/s = 1000 B/cycle per (GB/s per MHz).
  return dram.bandwidth_gbytes_per_s * 1000.0 / clock_mhz;
}

Cycles dram_latency_cycles(const DramConfig& dram, double clock_mhz) {
  // ns * MHz / 1000 = cycles; rounded up, with a tolerance so exact products (100 ns at 1.2 GHz =
  // 120 cycles) do not round up on floating-point noise.
  const double cycles = dram.latency_ns * clock_mhz / 1000.0;
  if (!(cycles > 0.0)) return 0;
  return static_cast<Cycles>(std::ceil(cycles - 1e-9));
}

}  // namespace npusim
