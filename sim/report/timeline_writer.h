// The `--timeline` file: recorded spans as Chrome/Perfetto trace-event JSON (open in ui.perfetto.dev).
#pragma once

#include <string>
#include <vector>

#include "arch/isa/span_recorder.h"
#include "arch/spec/units.h"

namespace npusim {

struct TimelineLayer {
  std::string name;
  Cycles start_cycle = 0;
  Cycles end_cycle = 0;
  double power_w = 0.0;  // the layer's energy / time
};

// {"traceEvents": [...], "displayTimeUnit": "ns", "otherData": {...}}: one thread per track that has
// spans (a track whose spans overlap, such as a DMA queue with several transfers in flight, is split
// into lanes "name", "name#2", ...), one complete event per span (ts and dur in microseconds; cat
// "npu" for work, "stall" for an engine's fill, memory stall, dependency stall and drain, which share
// the engine's thread unless the timeline is aggregated), a "layers" thread with one span per layer
// (cat "layer"), a "power" counter sampled at each layer start and back to 0 at the end of the run,
// and a "dram_bandwidth" counter (read and write GB/s) per bin of dram_bin_cycles. `recorder` must be
// finish()ed. Deterministic: the same spans give the same bytes.
// DRAM bandwidth counter bins: the run split into at most kDramBandwidthBins bins of whole cycles.
constexpr Cycles kDramBandwidthBins = 400;
Cycles dram_bin_cycles(Cycles run_cycles);

std::string timeline_to_json(const SpanRecorder& recorder, const std::vector<TimelineLayer>& layers,
                             double clock_mhz);

}  // namespace npusim
