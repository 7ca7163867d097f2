// Outputs of `npusim serve`: result.json (serving, gpu_serving, ...), requests.csv (one row per request
// and device), the terminal summary and the optional Perfetto timeline.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/serving/serving_engine.h"
#include "workloads/traffic/serve_request.h"

namespace npusim {

struct DeviceServing {
  std::string device;  // "npu" or "gpu"
  std::string name;    // preset or file
  ServingRun run;
  nlohmann::ordered_json metrics;  // serving_metrics_json plus kv_cache and step_cost
};

std::string requests_csv(const std::vector<ServeRequest>& requests, const std::vector<DeviceServing>& devices);

// Chrome/Perfetto trace-event JSON: one process per device; iterations as spans on one track (prefill
// tokens and decode sequences in args), each request as an async span from arrival to finish.
std::string serving_timeline_json(const std::vector<ServeRequest>& requests, const std::vector<DeviceServing>& devices);

std::string serving_summary_lines(const nlohmann::ordered_json& result);

}  // namespace npusim
