// Derived quantities of an NpuConfig that the timing models and reports share.
#include <cmath>

#include "arch/spec/npu_config.h"

namespace npusim {

double dram_bytes_per_cycle(const NpuConfig& config) {
  // GB/s over MHz: 1e9 B/s / 1e6 cycles/s = 1000 B/cycle per (GB/s per MHz).
  return config.dram.bandwidth_gbytes_per_s * 1000.0 / config.clock_mhz;
}

Cycles dram_latency_cycles(const NpuConfig& config) {
  // ns * MHz / 1000 = cycles; rounded up, with a tolerance so exact products (100 ns at 1.2 GHz =
  // 120 cycles) do not round up on floating-point noise.
  const double cycles = config.dram.latency_ns * config.clock_mhz / 1000.0;
  if (!(cycles > 0.0)) return 0;
  return static_cast<Cycles>(std::ceil(cycles - 1e-9));
}

}  // namespace npusim
