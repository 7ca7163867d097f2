// Moments of a token-length distribution (token_distribution.h) cut at a maximum length: what an unpadded
// batch of such sequences costs per sequence (token-linear layers follow E[L], attention E[L^2]).
#pragma once

#include <cstdint>

#include "workloads/traffic/token_distribution.h"

namespace npusim {

// A length drawn from the distribution, rounded to a whole token and clipped into [1, max_len]: sequences
// longer than max_len are cut to it (as MLPerf cuts SQuAD samples at 384), shorter than 1 count 1.
struct TokenMoments {
  double mean = 0.0;              // E[L]
  double mean_square = 0.0;       // E[L^2]
  double clipped_fraction = 0.0;  // probability mass cut down to max_len
};
TokenMoments clipped_token_moments(const TokenDistribution& distribution, uint64_t max_len);

}  // namespace npusim
