#include "analysis/serving/serving_distributions.h"

#include <algorithm>
#include <cmath>

namespace npusim {

KvOccupancySeries kv_occupancy_series(const ServingRun& run, uint64_t kv_blocks, size_t samples) {
  KvOccupancySeries series;
  if (run.duration_s <= 0.0 || kv_blocks == 0 || samples == 0 || run.iterations.empty()) return series;
  series.interval_s = run.duration_s / static_cast<double>(samples);
  std::vector<double> block_seconds(samples, 0.0);
  double total = 0.0;
  for (const IterationRecord& it : run.iterations) {
    const double blocks = static_cast<double>(it.kv_blocks_used);
    total += blocks * it.time_s;
    // Spread the iteration's block-seconds over the intervals it overlaps (the last one extends to the end).
    const double from = it.start_s - run.start_s;
    const double to = from + it.time_s;
    const size_t first = std::min(samples - 1, static_cast<size_t>(std::max(0.0, from) / series.interval_s));
    const size_t last = std::min(samples - 1, static_cast<size_t>(std::max(0.0, to) / series.interval_s));
    for (size_t k = first; k <= last; ++k) {
      const double low = std::max(from, static_cast<double>(k) * series.interval_s);
      const double high = k + 1 == samples ? to : std::min(to, static_cast<double>(k + 1) * series.interval_s);
      if (high > low) block_seconds[k] += blocks * (high - low);
    }
  }
  const double capacity = static_cast<double>(kv_blocks);
  for (double b : block_seconds) series.mean_fraction.push_back(b / (capacity * series.interval_s));
  series.mean_fraction_overall = total / (capacity * run.duration_s);
  return series;
}

BatchSizeHistogram batch_size_histogram(const ServingRun& run) {
  BatchSizeHistogram h;
  double busy_s = 0.0;
  for (const IterationRecord& it : run.iterations) {
    const uint64_t seqs = std::max<uint64_t>(1, it.prefill_seqs + it.decode_seqs);
    size_t bucket = 0;
    while ((uint64_t{2} << bucket) <= seqs) ++bucket;
    while (h.iterations.size() <= bucket) {
      h.bucket_low_seqs.push_back(uint64_t{1} << h.iterations.size());
      h.iterations.push_back(0);
      h.time_fraction.push_back(0.0);
    }
    h.iterations[bucket] += 1;
    h.time_fraction[bucket] += it.time_s;
    busy_s += it.time_s;
  }
  for (double& t : h.time_fraction) t = busy_s > 0.0 ? t / busy_s : 0.0;
  return h;
}

nlohmann::ordered_json kv_occupancy_json(const KvOccupancySeries& series) {
  return {{"interval_s", series.interval_s}, {"mean_fraction", series.mean_fraction}};
}

nlohmann::ordered_json batch_histogram_json(const BatchSizeHistogram& histogram) {
  return {{"bucket_low_seqs", histogram.bucket_low_seqs},
          {"iterations", histogram.iterations},
          {"time_fraction", histogram.time_fraction}};
}

}  // namespace npusim
