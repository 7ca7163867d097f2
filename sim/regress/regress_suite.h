// The regression suite (small design points: preset + overrides + workload) and its comparison with
// committed goldens: integer metrics (cycles, bytes, counts) exactly, floating ones within a relative
// tolerance stated in the suite file.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/sweep/sweep_spec.h"

namespace npusim {

struct SuitePoint {
  std::string name;                   // also the golden file's stem: golden/NAME.json
  nlohmann::ordered_json definition;  // the suite entry without "name": what the golden was made from
  PointRequest request;
};

struct RegressionSuite {
  std::string file;
  double relative_tolerance = 1e-9;
  std::vector<SuitePoint> points;
};

RegressionSuite load_regression_suite(const std::string& path);

// Applies perturbations for experiments and tests to every point: "npu.x=v" overrides, and
// "npu.x=FACTOR" scalings of the resolved value (integers round to a different integer, so a 1%
// change of a 16-cycle setup becomes 17).
void perturb_suite(RegressionSuite& suite, const std::vector<std::string>& sets,
                   const std::vector<std::string>& scales);

// The golden folder must hold exactly one NAME.json per suite point whose "point" matches the
// suite entry; anything else is an InputError naming the file (run --update after editing the suite).
void check_golden_dir(const RegressionSuite& suite, const std::string& golden_dir);

// The golden document in `file` as --update and the comparison read it, or an empty one for the point
// when there is none, it breaks the JSON rules of every input (arch/spec/json_text.h) or it is no object
// with "metrics" (`found` says which); never throws for its content.
nlohmann::ordered_json read_golden(const SuitePoint& point, const std::string& file, bool& found);

nlohmann::ordered_json golden_document(const SuitePoint& point, const nlohmann::ordered_json& result_line);

struct MetricChange {
  std::string point;
  std::string metric;
  nlohmann::ordered_json golden;
  nlohmann::ordered_json current;
  bool regression = true;  // false: informational (a metric the golden does not have yet)
};

// Compares one point's result line with its golden document.
std::vector<MetricChange> compare_with_golden(const SuitePoint& point, const nlohmann::ordered_json& golden,
                                              const nlohmann::ordered_json& result_line,
                                              double relative_tolerance);

// The table of changes: point, metric, golden, now, relative change.
std::string changes_table(const std::vector<MetricChange>& changes);

}  // namespace npusim
