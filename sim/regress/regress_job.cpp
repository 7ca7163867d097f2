#include "sim/regress/regress_job.h"

#include <fmt/format.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <utility>

#include "arch/spec/input_error.h"
#include "sim/io/atomic_file.h"
#include "sim/regress/regress_suite.h"
#include "sim/sweep/point_runner.h"

namespace npusim {
namespace fs = std::filesystem;

namespace {

// What comparing a run with the goldens found, and the golden files an --update writes.
struct GoldenPass {
  std::vector<MetricChange> changes;
  size_t moved_points = 0;
  std::vector<std::pair<std::string, std::string>> updates;  // file, content
  bool point_failed = false;  // --update with a failed point: nothing is written
};

std::string default_suite_path(const std::string& golden_dir) {
  const fs::path golden_path = fs::path(golden_dir).lexically_normal();
  return ((golden_path.has_filename() ? golden_path : golden_path.parent_path()).parent_path() / "suite.json")
      .string();
}

// Runs every suite point (one worker process each) into `dir`/results.jsonl.
ResultSet run_suite(const RegressionSuite& suite, const std::string& dir, int jobs) {
  std::vector<SweepPoint> points;
  const bool pass_gpu = run_supports_gpu();
  for (const auto& suite_point : suite.points) {
    SweepPoint point;
    point.index = points.size();
    point.id = suite_point.name;
    point.request = suite_point.request;
    if (!pass_gpu) point.request.gpu.clear();
    point.axes["point"] = suite_point.name;
    points.push_back(std::move(point));
  }
  std::vector<const SweepPoint*> pending;
  for (const auto& point : points) pending.push_back(&point);
  {
    ResultAppender appender(dir + "/results.jsonl");
    RunnerOptions runner;
    runner.jobs = jobs;
    runner.scratch_dir = dir + "/tmp";
    const RunSummary summary = run_points(pending, appender, runner);
    std::cout << fmt::format("ran {} suite points in {:.2f} s\n", points.size(), summary.wall_s);
  }
  return read_results(dir);
}

// The results to compare: an earlier run's, or a fresh run in --out DIR or a temporary folder.
ResultSet suite_results(const RegressOptions& options, const RegressionSuite& suite) {
  if (!options.results_dir.empty()) return read_results(options.results_dir);
  std::string dir = options.out_dir;
  if (dir.empty()) {
    std::string pattern = (fs::temp_directory_path() / "npusim-regress-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw InputError(pattern, "", std::string("cannot create a temporary folder: ") + std::strerror(errno));
    dir = pattern;
  } else {
    std::error_code error;
    fs::remove(dir + "/results.jsonl", error);  // a fresh run, not a resume
  }
  ResultSet results = run_suite(suite, dir, options.jobs);
  if (options.out_dir.empty()) fs::remove_all(dir);
  return results;
}

GoldenPass compare_with_goldens(const RegressOptions& options, const RegressionSuite& suite,
                                const ResultSet& results) {
  GoldenPass pass;
  for (const auto& point : suite.points) {
    const auto found = results.by_id.find(point.name);
    const nlohmann::ordered_json line =
        found == results.by_id.end()
            ? nlohmann::ordered_json{{"status", "error"}, {"error", "no result recorded"}}
            : found->second;
    const std::string file = options.golden_dir + "/" + point.name + ".json";
    if (options.update && line.value("status", std::string()) != "ok") {
      std::cerr << "npusim: error: " << suite.file << ": point " << point.name
                << " failed: " << line.value("error", std::string()) << "; goldens not updated\n";
      pass.point_failed = true;
      return pass;
    }
    bool have_golden = false;
    const nlohmann::ordered_json golden = read_golden(point, file, have_golden);
    if (options.update && !have_golden) {
      std::cout << "new golden: " << file << "\n";
      pass.updates.emplace_back(file, golden_document(point, line).dump(2) + "\n");
      continue;
    }
    const auto point_changes = compare_with_golden(point, golden, line, suite.relative_tolerance);
    bool moved = false;
    for (const auto& change : point_changes) moved = moved || change.regression;
    pass.moved_points += moved ? 1 : 0;
    pass.changes.insert(pass.changes.end(), point_changes.begin(), point_changes.end());
    if (options.update) pass.updates.emplace_back(file, golden_document(point, line).dump(2) + "\n");
  }
  return pass;
}

// Writes the updated goldens and removes golden files of points no longer in the suite.
void write_goldens(const std::string& golden_dir, const std::vector<std::pair<std::string, std::string>>& updates) {
  std::error_code error;
  fs::create_directories(golden_dir, error);
  for (const auto& [file, content] : updates) write_file_atomically(file, content);
  for (const auto& entry : fs::directory_iterator(golden_dir)) {
    bool in_suite = false;
    for (const auto& [file, content] : updates) in_suite = in_suite || fs::equivalent(file, entry.path(), error);
    if (entry.path().extension() == ".json" && !in_suite) fs::remove(entry.path(), error);
  }
}

}  // namespace

int regress_command(const RegressOptions& options) {
  const std::string suite_path =
      options.suite_path.empty() ? default_suite_path(options.golden_dir) : options.suite_path;
  RegressionSuite suite = load_regression_suite(suite_path);
  perturb_suite(suite, options.sets, options.scales);
  if (!options.update) check_golden_dir(suite, options.golden_dir);

  const ResultSet results = suite_results(options, suite);
  const GoldenPass pass = compare_with_goldens(options, suite, results);
  if (pass.point_failed) return 1;
  size_t regressions = 0;
  for (const auto& change : pass.changes) regressions += change.regression ? 1 : 0;
  if (!pass.changes.empty()) std::cout << changes_table(pass.changes);

  if (options.update) {
    write_goldens(options.golden_dir, pass.updates);
    std::cout << fmt::format(
        "updated {} goldens in {} ({} metrics changed); review the diff before committing\n",
        pass.updates.size(), options.golden_dir, regressions);
    return 0;
  }
  if (regressions > 0) {
    std::cout << fmt::format(
        "REGRESSION: {} metrics moved in {} of {} points (relative tolerance for floating "
        "metrics {:g}; integers exact). If intended: npusim regress --golden {} --update\n",
        regressions, pass.moved_points, suite.points.size(), suite.relative_tolerance, options.golden_dir);
    return 1;
  }
  std::cout << fmt::format("ok: {} points match the goldens in {}\n", suite.points.size(), options.golden_dir);
  return 0;
}

}  // namespace npusim
