#include "workloads/traffic/token_moments.h"

#include <algorithm>
#include <cmath>
#include <functional>

namespace npusim {
namespace {

double normal_cdf(double x) { return 0.5 * std::erfc(-x / std::sqrt(2.0)); }

// The CDF of the unrounded normal or lognormal length (lognormal's mean is the distribution's mean).
std::function<double(double)> continuous_cdf(const TokenDistribution& d) {
  if (d.kind == TokenDistribution::Kind::kNormal) {
    return [mean = d.a, std = d.b](double x) { return normal_cdf((x - mean) / std); };
  }
  const double sigma = d.b;
  const double mu = std::log(d.a) - 0.5 * sigma * sigma;
  return [mu, sigma](double x) { return x <= 0.0 ? 0.0 : normal_cdf((std::log(x) - mu) / sigma); };
}

void add(TokenMoments& out, double length, double probability) {
  out.mean += probability * length;
  out.mean_square += probability * length * length;
}

}  // namespace

TokenMoments clipped_token_moments(const TokenDistribution& d, uint64_t max_len) {
  const auto top = static_cast<double>(std::max<uint64_t>(max_len, 1));
  TokenMoments out;
  using Kind = TokenDistribution::Kind;
  // A spread of zero is a fixed length at the (rounded) mean.
  const bool point = d.kind == Kind::kFixed || ((d.kind == Kind::kNormal || d.kind == Kind::kLognormal) && d.b == 0);
  if (point) {
    const double length = std::max(1.0, d.kind == Kind::kFixed ? d.a : std::round(d.a));
    add(out, std::min(length, top), 1.0);
    out.clipped_fraction = length > top ? 1.0 : 0.0;
  } else if (d.kind == Kind::kUniform || d.kind == Kind::kEmpirical) {
    std::vector<double> values;
    if (d.kind == Kind::kUniform) {
      for (double n = d.a; n <= d.b; n += 1.0) values.push_back(n);
    } else {
      for (uint64_t value : d.values) values.push_back(static_cast<double>(value));
    }
    for (double value : values) {
      add(out, std::min(value, top), 1.0 / static_cast<double>(values.size()));
      if (value > top) out.clipped_fraction += 1.0 / static_cast<double>(values.size());
    }
  } else {
    // L = n takes the mass of (n - 0.5, n + 0.5]; the tails fold onto 1 and max_len.
    const auto cdf = continuous_cdf(d);
    double below = 0.0;
    for (double n = 1.0; n < top; n += 1.0) {
      const double upto = cdf(n + 0.5);
      add(out, n, upto - below);
      below = upto;
    }
    out.clipped_fraction = 1.0 - cdf(top + 0.5);
    add(out, top, 1.0 - below);
  }
  return out;
}

}  // namespace npusim
