// The mapper's list schedule of one core's command stream: each unit (load queue, store queue, array,
// vector unit) takes its commands in stream order, each command starts once its unit is free and its
// dependencies are done, and lasts its closed-form time. Commands issue in time order across the units,
// so the two DMA queues book the core's share of each memory in the order the model's channels see them
// (a store issued behind a long prefetch waits for it). It finds what closed-form bounds cannot: which
// transfers hide under which compute (a weight tile streamed in chunks ahead of many small M tiles, the
// first tiles' loads that nothing hides).
#pragma once

#include "arch/isa/command_stream.h"
#include "arch/spec/npu_config.h"
#include "arch/timing/systolic_timing.h"

namespace npusim {

// The rates and latencies a core sees while every core of its layer streams at once.
struct CoreMemoryRates {
  double dma_port_bytes_per_cycle = 1.0;  // each of the DMA's load and store queues
  double dram_bytes_per_cycle = 1.0;      // the core's share of DRAM (and of its NoC links)
  double global_sram_bytes_per_cycle = 1.0;
  double dram_latency_cycles = 0.0;  // after the data: access latency
  double global_sram_latency_cycles = 0.0;
  double setup_cycles = 0.0;  // descriptor decode before each transfer starts
};

// Cycles from the layer's start to its last command's end on this core. Loads and stores share the
// memory's bandwidth in issue order; the caller adds the bounds the schedule leaves out (the scratchpad
// port every unit shares, all cores' DRAM traffic).
double schedule_stream_cycles(const CommandStream& stream, const NpuConfig& config, const ArrayShape& array,
                              DType dtype, const CoreMemoryRates& rates);

}  // namespace npusim
