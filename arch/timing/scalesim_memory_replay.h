// SCALE-Sim v2's memory system for one layer, replayed fold by fold and demand row by demand row
// (memory/double_buffered_scratchpad_mem.service_memory_requests()), giving every number of its
// COMPUTE_REPORT, BANDWIDTH_REPORT and DETAILED_ACCESS_REPORT rows.
//
// Row i of the L rows of every fold (folds in SCALE-Sim's order, column fold outer) arrives at
// cycle i + stalls so far. The ifmap and filter read buffers (scalesim_read_buffer.h) and the ofmap
// write buffer (scalesim_write_buffer.h) each serve it; the row's stall is
// max(ifmap served - cycle - 1, filter served - cycle - 1, ofmap served - cycle) and adds to all later
// rows. Total cycles = the last row's ofmap serviced cycle (the final drain is not counted).
// SRAM start/stop = serviced cycle of the first/last row with a valid address of that operand.
// Ofmap demand row t of a fold has these valid writes (c < cols_used columns):
//   OS: c in [t-(T-1)-(H-1), t-(T-1)-(H-rows_used)];  WS, IS: c in [t-(2H-1)-(T-1), t-(2H-1)].
// Only row counts, not addresses, matter for the write buffer (ofmap addresses are all distinct).
#pragma once

#include "arch/timing/scalesim_memory_types.h"

namespace npusim {

ScaleSimLayerReport scalesim_replay_layer(const ScaleSimMemorySetup& setup, const ScaleSimLayerShape& shape);

}  // namespace npusim
