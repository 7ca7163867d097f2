// `npusim pareto --where/--rate`: constraint parsing, power at a required rate (closed form), and a
// sweep with a batch axis and a GPU baseline end to end (one batch column, baseline columns last).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "arch/spec/input_error.h"
#include "sim/sweep/pareto_filter.h"
#include "tests/sim/cli_harness.h"

using namespace npusim_test;

namespace {

std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    const size_t end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) return parts;
    start = end + 1;
  }
}

std::vector<nlohmann::json> result_lines(const std::string& dir) {
  std::vector<nlohmann::json> lines;
  for (const auto& line : split(read_file(dir + "/results.jsonl"), '\n')) {
    if (!line.empty()) lines.push_back(nlohmann::json::parse(line));
  }
  return lines;
}

}  // namespace

TEST_CASE("pareto --where: parsing and bad syntax") {
  const npusim::WhereClause clause = npusim::parse_where("inferences_per_s >= 240");
  CHECK(clause.name == "inferences_per_s");
  CHECK(clause.op == npusim::CompareOp::kGreaterEqual);
  CHECK(clause.value == 240.0);
  CHECK(npusim::holds(clause, 240.0));
  CHECK_FALSE(npusim::holds(clause, 239.9));
  CHECK(npusim::parse_where("power_w<1.5e1").op == npusim::CompareOp::kLess);
  CHECK(npusim::holds(npusim::parse_where("npu.array.rows!=16"), 32.0));
  for (const char* bad : {"inferences_per_s", ">=240", "inferences_per_s>=fast", "a b>=1", "x>=1 2"}) {
    CAPTURE(bad);
    CHECK_THROWS_AS(npusim::parse_where(bad), npusim::InputError);
  }
}

TEST_CASE("power at a required rate: idle + duty x (busy - idle)") {
  // 800 inferences/s, 2.0 W busy, 0.6 J of leakage over 2 s: idle 0.3 W. At 240/s the design is busy
  // 240/800 = 30% of the time: 0.3 + 0.3 x (2.0 - 0.3) = 0.81 W, not its 2.0 W busy power.
  const auto power = npusim::power_at_rate(240.0, 800.0, 2.0, 0.6, 2.0);
  REQUIRE(power.has_value());
  CHECK(power->duty == doctest::Approx(0.3));
  CHECK(power->idle_power_w == doctest::Approx(0.3));
  CHECK(power->power_w == doctest::Approx(0.81));
  // At its full rate it draws its busy power; it cannot sustain a higher one at all.
  CHECK(npusim::power_at_rate(800.0, 800.0, 2.0, 0.6, 2.0)->power_w == doctest::Approx(2.0));
  CHECK_FALSE(npusim::power_at_rate(801.0, 800.0, 2.0, 0.6, 2.0).has_value());
}

TEST_CASE("cli pareto: --rate and --where over a sweep with a batch axis and a GPU baseline") {
  const std::string dir = fresh_dir("pareto_rate");
  const std::string spec = write_file(dir, "spec.json", R"({
    "npu": "edge-int8",
    "gpu": "a100-sxm4-80gb",
    "axes": [{"path": "npu.array.rows", "values": [8, 16, 32]}, {"path": "batch", "values": [1, 4]}],
    "workloads": ["gemm:m=64,n=64,k=64"]
  })");
  const std::string out = dir + "/out";
  const CommandResult sweep = run_npusim("sweep " + spec + " -j 2 --out " + out);
  CAPTURE(sweep.output);
  REQUIRE(sweep.exit_code == 0);

  // results.csv: one batch column (the axis), every comparison.* (baseline) column after the NPU's.
  const std::vector<std::string> header = split(split(read_file(out + "/results.csv"), '\n').front(), ',');
  CHECK(std::count(header.begin(), header.end(), "batch") == 1);
  size_t first_baseline = header.size(), last_npu = 0;
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i].rfind("comparison.", 0) == 0) first_baseline = std::min(first_baseline, i);
    else last_npu = i;
  }
  CHECK(first_baseline < header.size());
  CHECK(last_npu < first_baseline);

  // The required rate: midway between the slowest and fastest point, so some points cannot meet it.
  const std::vector<nlohmann::json> lines = result_lines(out);
  REQUIRE(lines.size() == 6);
  double slowest = std::numeric_limits<double>::infinity(), fastest = 0;
  for (const auto& line : lines) {
    slowest = std::min(slowest, line["metrics"]["inferences_per_s"].get<double>());
    fastest = std::max(fastest, line["metrics"]["inferences_per_s"].get<double>());
  }
  const double rate = std::round((slowest + fastest) / 2);
  size_t meeting = 0;
  double lowest_w = std::numeric_limits<double>::infinity();
  for (const auto& line : lines) {
    const auto& m = line["metrics"];
    if (m["inferences_per_s"].get<double>() < rate || m["mac_utilization"].get<double>() <= 0.01) continue;
    ++meeting;
    // idle = leakage / time, busy = average power, duty = rate / inferences_per_s.
    const double idle_w = m["leakage_energy_j"].get<double>() / m["time_s"].get<double>();
    const double duty = rate / m["inferences_per_s"].get<double>();
    lowest_w = std::min(lowest_w, idle_w + duty * (m["average_power_w"].get<double>() - idle_w));
  }
  REQUIRE(meeting > 0);
  const CommandResult pareto =
      run_npusim("pareto " + out + " --x inferences_per_s --maximize-x --y power_at_rate_w --rate " +
                 std::to_string(rate) + " --where \"mac_utilization>0.01\"");
  CAPTURE(pareto.output);
  REQUIRE(pareto.exit_code == 0);
  CHECK(pareto.output.find(std::to_string(meeting) + " of 6 successful points kept") != std::string::npos);
  const std::string csv = read_file(out + "/pareto.csv");
  CHECK(csv.find(",inferences_per_s,power_at_rate_w\n") != std::string::npos);
  char lowest_text[64];
  std::snprintf(lowest_text, sizeof lowest_text, ": %.6g W (", lowest_w);
  CHECK(pareto.output.find(lowest_text) != std::string::npos);
  // Without constraints, best per metric compares per-batch totals within one batch size.
  const CommandResult plain = run_npusim("pareto " + out + " --x cycles --y energy_j");
  CHECK(plain.output.find("Best per metric for gemm:m=64,n=64,k=64 at batch 1:") != std::string::npos);
  CHECK(plain.output.find("Best per metric for gemm:m=64,n=64,k=64 at batch 4:") != std::string::npos);

  const CommandResult unknown = run_npusim("pareto " + out + " --x cycles --y energy_j --where \"frobs>=1\"");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.output.find("--where: 'frobs' in 'frobs>=1' is neither a metric nor a numeric axis") !=
        std::string::npos);
  const CommandResult syntax = run_npusim("pareto " + out + " --x cycles --y energy_j --where \"cycles=>1\"");
  CHECK(syntax.exit_code == 2);
  CHECK(line_count(syntax.output) == 1);
  const CommandResult too_fast = run_npusim("pareto " + out + " --x cycles --y energy_j --rate 1e15");
  CHECK(too_fast.exit_code == 2);
  CHECK(too_fast.output.find("none of 6 successful points meets the constraints") != std::string::npos);
}
