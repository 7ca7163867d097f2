// Generated serving traffic: arrivals from a Poisson process (cv = 1) or a Gamma renewal process
// (inter-arrival times Gamma with shape 1/cv^2 and mean 1/rate: cv > 1 is burstier), token lengths from
// TokenDistribution. Deterministic under the seed: the same seed gives the same requests bit for bit.
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/traffic/serve_request.h"
#include "workloads/traffic/token_distribution.h"

namespace npusim {

struct TrafficSpec {
  double rate_per_s = 1.0;  // mean arrivals per second, > 0
  double arrival_cv = 1.0;  // coefficient of variation of inter-arrival times, > 0 (1: Poisson)
  uint64_t requests = 100;
  TokenDistribution input_tokens;
  TokenDistribution output_tokens;
  uint64_t seed = 1;
};

// The first request arrives at 0. Token lengths and inter-arrival gaps come from separate streams, so
// the lengths do not change with the rate, and arrivals scale exactly as 1 / rate.
std::vector<ServeRequest> generate_traffic(const TrafficSpec& spec);

// The same requests with every arrival multiplied by `factor` (a trace replayed faster or slower).
std::vector<ServeRequest> scale_arrivals(std::vector<ServeRequest> requests, double factor);

}  // namespace npusim
