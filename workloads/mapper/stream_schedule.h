// The mapper's list schedule of a layer's per-core command streams: each unit of each core (load queue,
// store queue, array, vector unit) takes its commands in stream order, each command starts once its
// unit is free and its dependencies are done, and lasts its closed-form time. Commands issue in time
// order across units and cores (a tie goes to the lower core, then unit, as the model's issue arbiter
// grants them), and every transfer books its memory in that order, as the model's FIFO channels serve
// them: a store issued behind a long prefetch waits for it, and cores that all load at once are served
// one after the other, so their later phases no longer collide. It finds what closed-form bounds cannot: which
// transfers hide under which compute (a weight tile streamed in chunks ahead of many small M tiles, the
// first tiles' loads that nothing hides).
#pragma once

#include <limits>
#include <vector>

#include "arch/isa/command_stream.h"
#include "arch/spec/npu_config.h"
#include "arch/timing/systolic_timing.h"

namespace npusim {

// The rates and latencies a core's transfers see.
struct CoreMemoryRates {
  double dma_port_bytes_per_cycle = 1.0;  // each of the DMA's load and store queues
  double dram_bytes_per_cycle = 1.0;      // all of DRAM: one server shared by every core scheduled together
  double global_sram_bytes_per_cycle = 1.0;  // likewise
  double noc_bytes_per_cycle = std::numeric_limits<double>::infinity();  // the NoC links into this core
  double dram_latency_cycles = 0.0;  // after the data: access latency
  double global_sram_latency_cycles = 0.0;
  double setup_cycles = 0.0;  // descriptor decode before each transfer starts
};

// Cycles from the layer's start to the last command's end on each core (streams[i] and rates[i] are
// core i's; the memories' rates are those of rates[0]). The caller adds the bounds the schedule leaves
// out (the scratchpad port every unit of a core shares). Once any core is past `cutoff_cycles` (a
// search's candidate that has already lost) the schedule stops and every core reads infinity.
std::vector<double> schedule_streams_cycles(const std::vector<const CommandStream*>& streams,
                                            const NpuConfig& config, const ArrayShape& array, DType dtype,
                                            const std::vector<CoreMemoryRates>& rates,
                                            double cutoff_cycles = std::numeric_limits<double>::infinity());

// One core alone: schedule_streams_cycles of one stream.
double schedule_stream_cycles(const CommandStream& stream, const NpuConfig& config, const ArrayShape& array,
                              DType dtype, const CoreMemoryRates& rates);

}  // namespace npusim
