#include "analysis/serving/capacity_search.h"

namespace npusim {
namespace {

ServingMetrics serve_at(const SchedulerConfig& scheduler, const StepCostModel& costs, const SloSpec& slo,
                        const RequestsAtRate& requests_at, double rate) {
  const std::vector<ServeRequest> requests = requests_at(rate);
  const ServingRun run = run_serving(requests, scheduler, costs, false);
  return summarize_serving(requests, run, slo, scheduler.kv_blocks);
}

nlohmann::ordered_json knee_json(const SchedulerConfig& scheduler, const StepCostModel& costs, const SloSpec& slo,
                                 const RequestsAtRate& requests_at, double max_rate) {
  nlohmann::ordered_json knee;
  for (const char* key : {"rate_per_s", "output_tokens_per_s", "goodput_requests_per_s", "ttft_p99_s", "tpot_p99_s",
                          "e2e_p99_s"})
    knee[key] = nlohmann::ordered_json::array();
  for (double factor : kKneeRateFactors) {
    const double rate = factor * max_rate;
    const ServingMetrics m = serve_at(scheduler, costs, slo, requests_at, rate);
    knee["rate_per_s"].push_back(rate);
    knee["output_tokens_per_s"].push_back(m.output_tokens_per_s);
    knee["goodput_requests_per_s"].push_back(m.goodput_requests_per_s);
    knee["ttft_p99_s"].push_back(m.ttft_s.p99);
    knee["tpot_p99_s"].push_back(m.tpot_s.p99);
    knee["e2e_p99_s"].push_back(m.e2e_s.p99);
  }
  return knee;
}

}  // namespace

nlohmann::ordered_json find_max_rate(const SchedulerConfig& scheduler, const StepCostModel& costs, const SloSpec& slo,
                                     const RequestsAtRate& requests_at) {
  const auto meets = [&](double rate) { return serve_at(scheduler, costs, slo, requests_at, rate).meets_slo; };
  double low = 0.0, high = 1.0;
  uint32_t runs = 0;
  while (meets(high) && high < 1e6) {
    low = high;
    high *= 2.0;
    ++runs;
  }
  if (low == 0.0) {
    while (!meets(high / 2.0) && high > 1e-6) {
      high /= 2.0;
      ++runs;
    }
    low = high / 2.0;
  }
  while ((high - low) > 0.01 * low && runs < 60) {
    const double mid = 0.5 * (low + high);
    (meets(mid) ? low : high) = mid;
    ++runs;
  }
  const ServingMetrics m = serve_at(scheduler, costs, slo, requests_at, low);
  return {{"max_rate_per_s", low},
          {"runs", runs},
          {"goodput_requests_per_s", m.goodput_requests_per_s},
          {"output_tokens_per_s", m.output_tokens_per_s},
          {"ttft_p90_s", m.ttft_s.p90},
          {"tpot_p99_s", m.tpot_s.p99},
          {"knee", knee_json(scheduler, costs, slo, requests_at, low)}};
}

}  // namespace npusim
