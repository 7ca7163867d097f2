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
// into lanes "name", "name#2", ...), one complete event per span (ts and dur in microseconds), and a
// "power" counter sampled at each layer start and back to 0 at the end of the run. `recorder` must
// be finish()ed. Deterministic: the same spans give the same bytes.
std::string timeline_to_json(const SpanRecorder& recorder, const std::vector<TimelineLayer>& layers,
                             double clock_mhz);

}  // namespace npusim
