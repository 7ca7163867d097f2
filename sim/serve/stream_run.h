// `npusim serve` with a stream traffic file: plans the streams (stream_setup.h), simulates their frame
// costs once (stream_costs.h), schedules them on the NPU (--policy) and on the GPU model through the
// serving engine, optionally bisects a stream's camera count (--find-max-streams), and writes result.json.
#pragma once

#include "sim/serve/serve_run.h"
#include "workloads/traffic/stream_spec.h"

namespace npusim {

int stream_serve_command(const ServeOptions& options, const TrafficFile& traffic);

}  // namespace npusim
