// Round-robin dispatch over data-parallel replicas and the merge of their serving runs.
#include "analysis/multichip/replica_serving.h"

#include <algorithm>

namespace npusim {
namespace {

void merge_counters(ServingRun& into, const ServingRun& run) {
  into.busy_energy_j += run.busy_energy_j;
  into.idle_energy_j += run.idle_energy_j;
  into.preemptions += run.preemptions;
  into.kv_blocks_peak = std::max(into.kv_blocks_peak, run.kv_blocks_peak);
  into.swap_out_blocks += run.swap_out_blocks;
  into.swap_in_blocks += run.swap_in_blocks;
  into.swap_time_s += run.swap_time_s;
  into.iterations.insert(into.iterations.end(), run.iterations.begin(), run.iterations.end());
}

}  // namespace

ServingRun run_replicated_serving(const std::vector<ServeRequest>& requests, const SchedulerConfig& config,
                                  const StepCostModel& costs, uint32_t replicas, bool keep_iterations) {
  if (replicas <= 1 || requests.size() < 2) return run_serving(requests, config, costs, keep_iterations);
  ServingRun merged;
  merged.requests.resize(requests.size());
  merged.start_s = requests.front().arrival_s;
  double end_s = merged.start_s;
  std::vector<double> replica_span_s;
  for (uint32_t r = 0; r < replicas && r < requests.size(); ++r) {
    std::vector<ServeRequest> share;
    for (size_t i = r; i < requests.size(); i += replicas) share.push_back(requests[i]);
    const ServingRun run = run_serving(share, config, costs, keep_iterations);
    for (size_t k = 0; k < share.size(); ++k) merged.requests[r + k * replicas] = run.requests[k];
    merge_counters(merged, run);
    end_s = std::max(end_s, run.start_s + run.duration_s);
    replica_span_s.push_back(run.duration_s);
  }
  merged.duration_s = end_s - merged.start_s;
  // Replicas with fewer than `replicas` requests' worth still idle over the whole span.
  const double replica_count = replicas;
  double idle_span_s = (replica_count - static_cast<double>(replica_span_s.size())) * merged.duration_s;
  for (double span_s : replica_span_s) idle_span_s += merged.duration_s - span_s;
  merged.idle_energy_j += costs.idle_power_w() * idle_span_s;
  std::stable_sort(merged.iterations.begin(), merged.iterations.end(),
                   [](const IterationRecord& a, const IterationRecord& b) { return a.start_s < b.start_s; });
  return merged;
}

}  // namespace npusim
