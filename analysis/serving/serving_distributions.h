// How a serving run used its device over time: the KV cache's occupancy as a time series and the
// distribution of batch sizes over iterations (both from the run's iteration records).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "analysis/serving/serving_engine.h"

namespace npusim {

// The run's duration cut into `samples` equal intervals; each value is the KV cache's occupancy (blocks
// held / kv_blocks) averaged over its interval, time-weighted (idle gaps hold no blocks).
struct KvOccupancySeries {
  double interval_s = 0.0;
  std::vector<double> mean_fraction;
  double mean_fraction_overall = 0.0;  // over the whole duration
};
KvOccupancySeries kv_occupancy_series(const ServingRun& run, uint64_t kv_blocks, size_t samples);

// Sequences per iteration in power-of-two buckets [1], [2, 3], [4, 7], ...: iterations and the share of
// busy time in each.
struct BatchSizeHistogram {
  std::vector<uint64_t> bucket_low_seqs;
  std::vector<uint64_t> iterations;
  std::vector<double> time_fraction;
};
BatchSizeHistogram batch_size_histogram(const ServingRun& run);

nlohmann::ordered_json kv_occupancy_json(const KvOccupancySeries& series);
nlohmann::ordered_json batch_histogram_json(const BatchSizeHistogram& histogram);

}  // namespace npusim
