// --find-max-rate: the highest arrival rate whose serving run meets the SLO (P90 TTFT, P99 TPOT),
// by doubling and bisection to 1%, and the knee around it: throughput and tail latencies at fixed
// fractions of that rate, for the knee plot (analysis/plots/serving_knee.py).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

#include "analysis/serving/scheduler.h"
#include "analysis/serving/serving_metrics.h"
#include "analysis/serving/step_cost.h"

namespace npusim {

// The same requests with arrivals scaled to `rate` per second.
using RequestsAtRate = std::function<std::vector<ServeRequest>(double rate_per_s)>;

// Rates of the knee, as multiples of the max rate.
inline constexpr double kKneeRateFactors[] = {0.25, 0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 2.0};

// {max_rate_per_s, runs, goodput_requests_per_s, output_tokens_per_s, ttft_p90_s, tpot_p99_s (at the max
// rate), knee: {rate_per_s: [...], output_tokens_per_s, goodput_requests_per_s, ttft_p99_s, tpot_p99_s,
// e2e_p99_s: [...] }}.
nlohmann::ordered_json find_max_rate(const SchedulerConfig& scheduler, const StepCostModel& costs, const SloSpec& slo,
                                     const RequestsAtRate& requests_at);

}  // namespace npusim
