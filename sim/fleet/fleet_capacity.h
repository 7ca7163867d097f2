// Per-device capacity of each candidate for each demand, measured by `npusim` worker processes (SystemC
// elaborates once per process): LLM demands by `serve --find-max-rate` (the highest arrival rate whose
// run meets the SLO), stream demands by `serve --find-max-streams` (the most cameras with no missed
// deadline), or with method serial_latency by floor(min(period, deadline) / frame latency) from one
// `npusim run` of a frame (frames of all cameras back to back, unbatched).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "analysis/fleet/fleet_sizing.h"
#include "sim/fleet/fleet_report.h"
#include "sim/fleet/fleet_spec.h"

namespace npusim {

// GPU candidates are served beside this NPU (serve and run always simulate one): its own numbers are
// not read. A datacenter part, so that LLMs up to 8B fit its memory.
inline constexpr const char* kGpuHostNpu = "furiosa-rngd";

struct MeasuredCapacity {
  DemandCapacity capacity;
  CapacityNote note;
};

// One worker per (candidate, demand), in order; `scratch_dir` holds their --out folders; progress lines
// go to `log` (null: silent).
std::vector<std::vector<MeasuredCapacity>> measure_capacities(const FleetSpec& spec, const std::string& scratch_dir,
                                                              std::ostream* log);

}  // namespace npusim
