// Request traces and generated traffic for `npusim serve` (workloads/traffic).
#include <doctest/doctest.h>

#include <cmath>

#include "arch/spec/input_error.h"
#include "tests/support/input_error_of.h"
#include "workloads/traffic/request_trace.h"
#include "workloads/traffic/traffic_generator.h"

using namespace npusim;
using namespace npusim_test;

namespace {
std::string error_of(const std::string& text) {
  return input_error_of([&] { parse_request_trace(text, "t.jsonl"); });
}
std::string dist_error(const std::string& text) {
  return input_error_of([&] { parse_token_distribution(text, "--input-tokens"); });
}
}  // namespace

TEST_CASE("request trace: lines parse, ids default to r<index>, blank lines skipped") {
  const auto requests = parse_request_trace(
      "{\"arrival_s\": 0, \"input_tokens\": 5, \"output_tokens\": 2}\n\n"
      "{\"arrival_s\": 0.5, \"input_tokens\": 7, \"output_tokens\": 1, \"id\": \"x\", \"priority\": 3}\n",
      "t.jsonl");
  REQUIRE(requests.size() == 2);
  CHECK(requests[0].id == "r0");
  CHECK(requests[1].id == "x");
  CHECK(requests[1].line == 3);
  CHECK(requests[1].priority == 3);
  CHECK(requests[1].arrival_s == 0.5);
  CHECK(parse_request_trace(format_request_trace(requests), "again").size() == 2);
}

TEST_CASE("request trace: bad lines name the file and line") {
  const std::string ok = "{\"arrival_s\": 1, \"input_tokens\": 5, \"output_tokens\": 2}\n";
  CHECK(error_of(ok + "{\"arrival_s\": 0.5, \"input_tokens\": 5, \"output_tokens\": 2}\n").find("t.jsonl: line 2: arrival_s 0.5 is before") == 0);
  CHECK(error_of("{\"arrival_s\": -1, \"input_tokens\": 5, \"output_tokens\": 2}\n").find("t.jsonl: line 1: arrival_s") == 0);
  CHECK(error_of("{\"arrival_s\": 0, \"input_tokens\": 0, \"output_tokens\": 2}\n").find("line 1: input_tokens: expected an integer from 1") != std::string::npos);
  CHECK(error_of("{\"arrival_s\": 0, \"input_tokens\": 4, \"output_tokens\": 99999999}\n").find("output_tokens") != std::string::npos);
  CHECK(error_of("{\"arrival_s\": 0, \"input_tokens\": 4, \"output_tokens\": 1, \"prio\": 1}\n").find("unknown field prio") != std::string::npos);
  CHECK(error_of("[1, 2]\n").find("line 1: expected one JSON object") != std::string::npos);
  CHECK(error_of("\n").find("no requests") != std::string::npos);
}

TEST_CASE("token distributions: forms, bounds and bad parameters") {
  std::mt19937_64 rng(7);
  CHECK(sample_tokens(parse_token_distribution("fixed:128", "--x"), rng) == 128);
  const auto uniform = parse_token_distribution("uniform:64:66", "--x");
  for (int i = 0; i < 100; ++i) {
    const uint64_t v = sample_tokens(uniform, rng);
    CHECK((v >= 64 && v <= 66));
  }
  // Lognormal with mean 300, sigma 0.8: the sample mean of 40000 draws is within 3% of 300 (the
  // standard error is 300 * sqrt(exp(0.64) - 1) / 200 = 1.4, i.e. 0.5%).
  const auto lognormal = parse_token_distribution("lognormal:mean=300,sigma=0.8", "--x");
  double sum = 0;
  for (int i = 0; i < 40000; ++i) sum += static_cast<double>(sample_tokens(lognormal, rng));
  CHECK(std::abs(sum / 40000 - 300) < 9);
  CHECK(dist_error("uniform:9:3").find("<cli>: --input-tokens: 'uniform:9:3'") == 0);
  CHECK(dist_error("normal:mean=10").find("expected mean=..,std=..") != std::string::npos);
  CHECK(dist_error("lognormal:mean=100,sigma=-1").find("sigma must be") != std::string::npos);
  CHECK(dist_error("fixed:0").find("N must be") != std::string::npos);
  CHECK(dist_error("zipf:3").find("expected fixed:N") != std::string::npos);
  CHECK(dist_error("csv:/nonexistent.csv:len").find("/nonexistent.csv: cannot open") == 0);
}

TEST_CASE("generated traffic: deterministic, Poisson mean gap 1/rate, Gamma CV, arrivals scale as 1/rate") {
  TrafficSpec spec;
  spec.rate_per_s = 4.0;
  spec.requests = 40000;
  spec.input_tokens = parse_token_distribution("uniform:1:1000", "--x");
  spec.output_tokens = parse_token_distribution("fixed:7", "--x");
  const auto a = generate_traffic(spec);
  const auto b = generate_traffic(spec);
  CHECK(a.back().arrival_s == b.back().arrival_s);
  CHECK(a[123].input_tokens == b[123].input_tokens);
  // Mean gap 1/4 s: 39999 gaps, the standard error 0.25/200 = 0.5%; allow 3%.
  CHECK(std::abs(a.back().arrival_s / 39999 - 0.25) < 0.0075);
  spec.rate_per_s = 8.0;
  const auto faster = generate_traffic(spec);
  CHECK(faster.back().arrival_s == doctest::Approx(a.back().arrival_s / 2).epsilon(1e-12));
  CHECK(faster[99].input_tokens == a[99].input_tokens);
  spec.arrival_cv = 2.0;
  const auto bursty = generate_traffic(spec);
  double sum = 0, sum2 = 0;
  for (size_t i = 1; i < bursty.size(); ++i) {
    const double gap = bursty[i].arrival_s - bursty[i - 1].arrival_s;
    sum += gap;
    sum2 += gap * gap;
  }
  const double n = static_cast<double>(bursty.size() - 1);
  const double mean = sum / n;
  const double cv = std::sqrt(sum2 / n - mean * mean) / mean;
  CHECK(mean == doctest::Approx(1.0 / 8).epsilon(0.05));
  CHECK(cv == doctest::Approx(2.0).epsilon(0.08));
}
