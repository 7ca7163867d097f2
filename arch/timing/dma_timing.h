// DMA and DRAM-interleaving arithmetic shared by the DMA model, the mapper and tests (no SystemC).
#pragma once

#include <cstdint>
#include <vector>

#include "arch/spec/npu_config.h"
#include "arch/spec/units.h"
#include "arch/timing/bandwidth_server.h"

namespace npusim {

// Bytes of [address, address + bytes) that fall on each channel when the address space is
// interleaved: chunk i (interleave_bytes long) belongs to channel i % channels. O(channels).
std::vector<Bytes> interleave_split(uint64_t address, Bytes bytes, Bytes interleave_bytes, uint32_t channels);

// Exact rates the models use: all DRAM channels together, one channel, and the SRAM port.
ByteRate dram_total_rate(const DramConfig& dram, double clock_mhz);
ByteRate dram_channel_rate(const DramConfig& dram, double clock_mhz);

// One transfer on otherwise idle resources, starting at address 0 (what the DMA model produces for
// a lone descriptor): setup + the slowest of {engine port, SRAM port + SRAM latency,
// the busiest DRAM channel + DRAM latency}. With one DRAM channel as the bottleneck this is
// setup + ceil(bytes / dram_bytes_per_cycle) + dram_latency.
Cycles isolated_dma_cycles(const NpuConfig& config, Bytes bytes);

// Half-open [begin, end) span of simulated time.
struct TimeInterval {
  Cycles begin = 0;
  Cycles end = 0;
};
// Cycles covered by at least one interval (the union's length); sorts its argument.
Cycles union_cycles(std::vector<TimeInterval> intervals);

}  // namespace npusim
