// Data-parallel serving: `replicas` copies of the model each serve a share of one request stream,
// dispatched round robin in arrival order (request i to replica i mod replicas), and the runs merged
// into one ServingRun for the metrics: requests in the order given, iterations by start time, energies
// summed (each replica idles from the stream's first arrival to its last finish).
#pragma once

#include <cstdint>
#include <vector>

#include "analysis/serving/serving_engine.h"

namespace npusim {

// replicas = 1 is run_serving itself.
ServingRun run_replicated_serving(const std::vector<ServeRequest>& requests, const SchedulerConfig& config,
                                  const StepCostModel& costs, uint32_t replicas, bool keep_iterations);

}  // namespace npusim
