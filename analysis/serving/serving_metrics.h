// Service-level metrics of a serving run. Per request: TTFT = first token - arrival, TPOT = (finish -
// first token) / (output tokens - 1) (requests of one output token have none), E2E = finish - arrival.
// SLO (--slo ttft_p90_s=X,tpot_p99_s=Y): a request attains it when its TTFT <= X and its TPOT <= Y;
// slo_attainment = the fraction that do; goodput_requests_per_s = those requests / duration_s. A run
// meets the SLO when P90 TTFT <= X and P99 TPOT <= Y (what --find-max-rate bisects on).
#pragma once

#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/serving/serving_distributions.h"
#include "analysis/serving/serving_engine.h"

namespace npusim {

struct SloSpec {
  double ttft_p90_s = std::numeric_limits<double>::infinity();
  double tpot_p99_s = std::numeric_limits<double>::infinity();
};

// "ttft_p90_s=0.5,tpot_p99_s=0.05" (either key may be left out); bad text throws InputError at --slo.
SloSpec parse_slo_spec(const std::string& text);

struct LatencySummary {
  double mean = 0.0, p50 = 0.0, p90 = 0.0, p99 = 0.0;
};
// Percentiles by linear interpolation between order statistics (numpy's default); empty -> zeros.
LatencySummary summarize_latencies(std::vector<double> values);

struct ServingMetrics {
  uint64_t requests = 0;
  double duration_s = 0.0;
  double output_tokens_per_s = 0.0;
  double requests_per_s = 0.0;
  double goodput_requests_per_s = 0.0;
  double slo_attainment = 0.0;
  LatencySummary ttft_s, tpot_s, e2e_s, queueing_s;
  uint64_t preemptions = 0;
  double kv_cache_peak_fraction = 0.0;
  double energy_j = 0.0;
  double average_power_w = 0.0;
  double output_tokens_per_j = 0.0;
  uint64_t iterations = 0;
  double mean_batch_seqs = 0.0;  // sequences per iteration, averaged over iterations
  bool meets_slo = true;
  uint64_t swap_out_blocks = 0, swap_in_blocks = 0;
  double swap_time_s = 0.0;
  // From the iteration records (empty when the run kept none).
  KvOccupancySeries kv_occupancy;
  LatencySummary batch_seqs;  // sequences per iteration: mean and percentiles over iterations
  BatchSizeHistogram batch_histogram;
};

// Intervals of the KV-occupancy time series in the report.
inline constexpr size_t kKvOccupancySamples = 100;

std::vector<double> request_tpots_s(const std::vector<ServeRequest>& requests, const ServingRun& run);

ServingMetrics summarize_serving(const std::vector<ServeRequest>& requests, const ServingRun& run,
                                 const SloSpec& slo, uint64_t kv_blocks);

nlohmann::ordered_json serving_metrics_json(const ServingMetrics& metrics);

}  // namespace npusim
