// The small NPU and command builders the hand-built simulate_npu cases (DMA, compute, pipelining) share,
// so that their closed-form cycle counts all start from the same numbers.
#pragma once

#include <cstdint>

#include "arch/isa/command_builders.h"
#include "arch/spec/npu_config.h"

namespace npusim_test {

// 1 GHz; one DRAM channel at 32 GB/s = 32 B/cycle, 100 ns = 100 cycles; DMA setup 10 cycles, 64 B/cycle
// port, 8 outstanding; SRAM port 16 * 64 = 1024 B/cycle, latency 2; 8x8 weight-stationary array without
// fold overlap; vector unit 16 lanes, 4 cycles latency.
inline npusim::NpuConfig arch_test_config() {
  npusim::NpuConfig config;
  config.clock_mhz = 1000.0;
  config.dram.channels = 1;
  config.dram.bandwidth_gbytes_per_s = 32.0;
  config.dram.latency_ns = 100.0;
  config.dma.setup_cycles = 10;
  config.dma.bytes_per_cycle = 64;
  config.dma.max_outstanding = 8;
  config.array.rows = 8;
  config.array.cols = 8;
  config.array.dataflow = npusim::Dataflow::kWeightStationary;
  config.array.overlap_folds = false;
  config.vector.lanes = 16;
  config.vector.latency_cycles = 4;
  return config;
}

inline npusim::Command load(npusim::Bytes bytes) {
  return npusim::dma_load_command(npusim::BufferKind::kInput, bytes);
}
inline npusim::Command store(npusim::Bytes bytes) { return npusim::dma_store_command(bytes); }
inline npusim::Command tile(uint32_t m, uint32_t n, uint32_t k) {
  return npusim::compute_command(npusim::ComputeTile{m, n, k});
}

}  // namespace npusim_test
