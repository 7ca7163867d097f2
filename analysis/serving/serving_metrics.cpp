#include "analysis/serving/serving_metrics.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "arch/spec/input_error.h"

namespace npusim {

SloSpec parse_slo_spec(const std::string& text) {
  SloSpec slo;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const size_t eq = item.find('=');
    const std::string key = item.substr(0, eq);
    if (key != "ttft_p90_s" && key != "tpot_p99_s")
      throw InputError("<cli>", "--slo", fmt::format("unknown key '{}'; expected ttft_p90_s=X,tpot_p99_s=Y", key));
    double value = 0.0;
    size_t used = 0;
    try {
      value = std::stod(item.substr(eq + 1), &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (eq == std::string::npos || used == 0 || used != item.size() - eq - 1 || !(value > 0) || !std::isfinite(value))
      throw InputError("<cli>", "--slo", fmt::format("{}: expected a positive number of seconds", key));
    (key == "ttft_p90_s" ? slo.ttft_p90_s : slo.tpot_p99_s) = value;
  }
  return slo;
}

LatencySummary summarize_latencies(std::vector<double> values) {
  LatencySummary out;
  if (values.empty()) return out;
  std::sort(values.begin(), values.end());
  double sum = 0.0;
  for (double v : values) sum += v;
  out.mean = sum / static_cast<double>(values.size());
  const auto at = [&](double q) {
    const double position = q * static_cast<double>(values.size() - 1);
    const size_t low = static_cast<size_t>(std::floor(position));
    const size_t high = std::min(low + 1, values.size() - 1);
    return values[low] + (position - static_cast<double>(low)) * (values[high] - values[low]);
  };
  out.p50 = at(0.5);
  out.p90 = at(0.9);
  out.p99 = at(0.99);
  return out;
}

std::vector<double> request_tpots_s(const std::vector<ServeRequest>& requests, const ServingRun& run) {
  std::vector<double> tpots;
  for (size_t i = 0; i < requests.size(); ++i) {
    if (requests[i].output_tokens < 2) continue;
    const RequestRecord& r = run.requests[i];
    tpots.push_back((r.finish_s - r.first_token_s) / static_cast<double>(requests[i].output_tokens - 1));
  }
  return tpots;
}

ServingMetrics summarize_serving(const std::vector<ServeRequest>& requests, const ServingRun& run,
                                 const SloSpec& slo, uint64_t kv_blocks) {
  ServingMetrics m;
  m.requests = requests.size();
  m.duration_s = run.duration_s;
  std::vector<double> ttft, e2e, queueing;
  uint64_t output_tokens = 0, good = 0;
  for (size_t i = 0; i < requests.size(); ++i) {
    const RequestRecord& r = run.requests[i];
    ttft.push_back(r.ttft_s());
    e2e.push_back(r.e2e_s());
    queueing.push_back(r.admitted_s - r.arrival_s);
    output_tokens += requests[i].output_tokens;
    const double tpot = requests[i].output_tokens < 2
                            ? 0.0
                            : (r.finish_s - r.first_token_s) / static_cast<double>(requests[i].output_tokens - 1);
    if (r.ttft_s() <= slo.ttft_p90_s && tpot <= slo.tpot_p99_s) ++good;
  }
  const double duration = std::max(run.duration_s, 1e-30);
  m.output_tokens_per_s = static_cast<double>(output_tokens) / duration;
  m.requests_per_s = static_cast<double>(m.requests) / duration;
  m.goodput_requests_per_s = static_cast<double>(good) / duration;
  m.slo_attainment = m.requests == 0 ? 0.0 : static_cast<double>(good) / static_cast<double>(m.requests);
  m.ttft_s = summarize_latencies(ttft);
  m.tpot_s = summarize_latencies(request_tpots_s(requests, run));
  m.e2e_s = summarize_latencies(e2e);
  m.queueing_s = summarize_latencies(queueing);
  m.preemptions = run.preemptions;
  m.kv_cache_peak_fraction = kv_blocks == 0 ? 0.0 : static_cast<double>(run.kv_blocks_peak) / static_cast<double>(kv_blocks);
  m.energy_j = run.busy_energy_j + run.idle_energy_j;
  m.average_power_w = m.energy_j / duration;
  m.output_tokens_per_j = m.energy_j > 0 ? static_cast<double>(output_tokens) / m.energy_j : 0.0;
  m.iterations = run.iterations.size();
  std::vector<double> seqs;
  for (const IterationRecord& it : run.iterations) seqs.push_back(it.prefill_seqs + it.decode_seqs);
  m.batch_seqs = summarize_latencies(seqs);
  m.mean_batch_seqs = m.batch_seqs.mean;
  m.kv_occupancy = kv_occupancy_series(run, kv_blocks, kKvOccupancySamples);
  m.batch_histogram = batch_size_histogram(run);
  m.swap_out_blocks = run.swap_out_blocks;
  m.swap_in_blocks = run.swap_in_blocks;
  m.swap_time_s = run.swap_time_s;
  m.meets_slo = m.ttft_s.p90 <= slo.ttft_p90_s && m.tpot_s.p99 <= slo.tpot_p99_s;
  return m;
}

namespace {
nlohmann::ordered_json latency_json(const LatencySummary& s) {
  return {{"mean", s.mean}, {"p50", s.p50}, {"p90", s.p90}, {"p99", s.p99}};
}
}  // namespace

nlohmann::ordered_json serving_metrics_json(const ServingMetrics& m) {
  return {{"requests", m.requests},
          {"duration_s", m.duration_s},
          {"output_tokens_per_s", m.output_tokens_per_s},
          {"requests_per_s", m.requests_per_s},
          {"goodput_requests_per_s", m.goodput_requests_per_s},
          {"slo_attainment", m.slo_attainment},
          {"meets_slo", m.meets_slo},
          {"ttft_s", latency_json(m.ttft_s)},
          {"tpot_s", latency_json(m.tpot_s)},
          {"e2e_s", latency_json(m.e2e_s)},
          {"queueing_s", latency_json(m.queueing_s)},
          {"preemptions", m.preemptions},
          {"kv_cache_peak_fraction", m.kv_cache_peak_fraction},
          {"kv_cache_mean_fraction", m.kv_occupancy.mean_fraction_overall},
          {"kv_cache_occupancy", kv_occupancy_json(m.kv_occupancy)},
          {"swap_out_blocks", m.swap_out_blocks},
          {"swap_in_blocks", m.swap_in_blocks},
          {"swap_time_s", m.swap_time_s},
          {"energy_j", m.energy_j},
          {"average_power_w", m.average_power_w},
          {"output_tokens_per_j", m.output_tokens_per_j},
          {"iterations", m.iterations},
          {"mean_batch_seqs", m.mean_batch_seqs},
          {"batch_seqs", latency_json(m.batch_seqs)},
          {"batch_seqs_histogram", batch_histogram_json(m.batch_histogram)}};
}

}  // namespace npusim
