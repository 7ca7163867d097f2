// The `--timeline` of a multi-chip LLM run: Chrome/Perfetto trace-event JSON with one process (track
// group) per chip (its compute segments and collectives) and one per link that carried traffic (each
// transfer's reservation), the prefill and the sampled decode steps laid end to end.
#pragma once

#include <string>
#include <vector>

#include "sim/run/multichip_report.h"

namespace npusim {

// `pass_names`: one per pass of `run` ("prefill", "decode step 0", ...).
std::string multichip_timeline_json(const SystemRun& run, const ParallelPlan& plan,
                                    const std::vector<std::string>& pass_names);

}  // namespace npusim
