// Multi-core mapping, the cost model: the estimated time and DRAM traffic of a layer whose cores run
// given command streams together.
#pragma once

#include <limits>
#include <vector>

#include "arch/isa/command_stream.h"
#include "arch/spec/npu_config.h"
#include "arch/spec/units.h"

namespace npusim {

// Estimated cycles of one layer whose cores run `streams` together: the slowest core (the cores' joint
// list schedule, stream_schedule.h, in which every transfer books DRAM or the global SRAM in issue order
// and no faster than the core's DMA port and NoC links allow; bounded below by the core's bytes through
// its scratchpad port) or all cores' DRAM bytes over the DRAM bandwidth, whichever is longer.
struct PartitionEstimate {
  double cycles = 0.0;
  Bytes dram_bytes = 0;
};
// `dtype` is the layer's operand type (it sets the MAC rate). A search passes the time past which its
// candidate loses as `cutoff_cycles`: an estimate beyond it stops early and reads infinity.
PartitionEstimate estimate_streams(const std::vector<const CommandStream*>& streams, const NpuConfig& config,
                                   DType dtype, double cutoff_cycles = std::numeric_limits<double>::infinity());

// The same estimate for a lowered layer: every core's stream of `program` at its operand type.
double estimate_layer_cycles(const LayerProgram& program, const NpuConfig& config,
                             double cutoff_cycles = std::numeric_limits<double>::infinity());

}  // namespace npusim
