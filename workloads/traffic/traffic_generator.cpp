#include "workloads/traffic/traffic_generator.h"

#include <fmt/format.h>

#include <cmath>

namespace npusim {
namespace {

// A unit-mean gap: exponential for cv = 1, else Gamma(shape 1/cv^2, scale cv^2) by Marsaglia-Tsang
// (shape < 1 boosted by U^(1/shape)), written out so every standard library gives the same draws.
double unit_mean_gap(double cv, std::mt19937_64& rng) {
  if (cv == 1.0) return -std::log(1.0 - uniform01(rng));
  const double shape = 1.0 / (cv * cv);
  const double k = shape < 1.0 ? shape + 1.0 : shape;
  const double d = k - 1.0 / 3.0;
  const double c = 1.0 / std::sqrt(9.0 * d);
  double draw = 0.0;
  for (;;) {
    const double x = standard_normal(rng);
    const double v = std::pow(1.0 + c * x, 3);
    if (v <= 0.0) continue;
    const double u = 1.0 - uniform01(rng);
    if (std::log(u) < 0.5 * x * x + d - d * v + d * std::log(v)) {
      draw = d * v;
      break;
    }
  }
  if (shape < 1.0) draw *= std::pow(1.0 - uniform01(rng), 1.0 / shape);
  return draw / shape;
}

}  // namespace

std::vector<ServeRequest> generate_traffic(const TrafficSpec& spec) {
  std::mt19937_64 arrivals(spec.seed);
  std::mt19937_64 lengths(spec.seed ^ 0x9e3779b97f4a7c15ull);
  std::vector<ServeRequest> out;
  out.reserve(spec.requests);
  double unit_time = 0.0;  // arrival time at rate 1
  for (uint64_t i = 0; i < spec.requests; ++i) {
    if (i > 0) unit_time += unit_mean_gap(spec.arrival_cv, arrivals);
    ServeRequest request;
    request.id = fmt::format("r{}", i);
    request.arrival_s = unit_time / spec.rate_per_s;
    request.input_tokens = sample_tokens(spec.input_tokens, lengths);
    request.output_tokens = sample_tokens(spec.output_tokens, lengths);
    out.push_back(std::move(request));
  }
  return out;
}

std::vector<ServeRequest> scale_arrivals(std::vector<ServeRequest> requests, double factor) {
  for (ServeRequest& request : requests) request.arrival_s *= factor;
  return requests;
}

}  // namespace npusim
