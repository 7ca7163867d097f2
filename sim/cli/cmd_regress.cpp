// `npusim regress --golden DIR [--update]`: run the regression suite and compare every metric with the
// committed goldens. Exit 0: all match; 1: a number moved (or a point failed); 2: bad input, such as a
// golden folder that does not match the suite.
#include <fmt/format.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "sim/cli/commands.h"
#include "sim/cli/option_parsing.h"
#include "sim/io/atomic_file.h"
#include "arch/spec/input_error.h"
#include "sim/regress/regress_suite.h"
#include "sim/sweep/point_runner.h"

namespace npusim {
namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
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

}  // namespace

int cmd_regress(const Args& args) {
  std::string golden_dir, suite_path, results_dir, out_dir;
  std::vector<std::string> sets, scales;
  bool update = false;
  int jobs = 2;
  po::options_description described("Options");
  described.add_options()("golden", po::value(&golden_dir)->required(),
                          "golden folder (tests/regression/golden)")(
      "suite", po::value(&suite_path), "suite file (default: suite.json beside the golden folder)")(
      "update", po::bool_switch(&update),
      "rewrite the goldens from this build (review the diff before committing)")(
      "jobs,j", po::value(&jobs)->default_value(2), "worker processes at once")(
      "out", po::value(&out_dir), "keep this run's results.jsonl in DIR (default: a temporary folder)")(
      "results", po::value(&results_dir),
      "compare the results.jsonl of an earlier --out DIR instead of running")(
      "set", po::value(&sets)->composing(), "perturb every point: npu.path=value (repeatable)")(
      "scale", po::value(&scales)->composing(),
      "perturb every point: npu.path=FACTOR multiplies the resolved value (repeatable)");
  po::variables_map values;
  if (!parse_options(args, described, {}, values,
                     "usage: npusim regress --golden DIR [--update] [--suite FILE]")) {
    return 0;
  }
  if (jobs < 1 || jobs > 1024)
    throw InputError("<cli>", "--jobs", fmt::format("expected 1 to 1024, got {}", jobs));
  if (update && (!sets.empty() || !scales.empty())) {
    throw InputError("<cli>", "--update", "goldens cannot be written from a perturbed run (--set/--scale)");
  }
  if (!results_dir.empty() && (!out_dir.empty() || !sets.empty() || !scales.empty())) {
    throw InputError("<cli>", "--results", "reads earlier results; --out, --set and --scale need a run");
  }
  const fs::path golden_path = fs::path(golden_dir).lexically_normal();
  if (suite_path.empty()) {
    suite_path =
        ((golden_path.has_filename() ? golden_path : golden_path.parent_path()).parent_path() / "suite.json")
            .string();
  }
  RegressionSuite suite = load_regression_suite(suite_path);
  perturb_suite(suite, sets, scales);
  if (!update) check_golden_dir(suite, golden_dir);

  ResultSet results;
  if (!results_dir.empty()) {
    results = read_results(results_dir);
  } else {
    std::string dir = out_dir;
    if (dir.empty()) {
      std::string pattern = (fs::temp_directory_path() / "npusim-regress-XXXXXX").string();
      if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("cannot create a temporary folder");
      dir = pattern;
    } else {
      std::error_code error;
      fs::remove(dir + "/results.jsonl", error);  // a fresh run, not a resume
    }
    results = run_suite(suite, dir, jobs);
    if (out_dir.empty()) fs::remove_all(dir);
  }

  std::vector<MetricChange> changes;
  size_t moved_points = 0;
  std::vector<std::pair<std::string, std::string>> updates;  // file, content
  for (const auto& point : suite.points) {
    const auto found = results.by_id.find(point.name);
    const nlohmann::ordered_json line =
        found == results.by_id.end()
            ? nlohmann::ordered_json{{"status", "error"}, {"error", "no result recorded"}}
            : found->second;
    const std::string file = golden_dir + "/" + point.name + ".json";
    if (update && line.value("status", std::string()) != "ok") {
      std::cerr << "npusim: error: " << suite.file << ": point " << point.name
                << " failed: " << line.value("error", std::string()) << "; goldens not updated\n";
      return 1;
    }
    nlohmann::ordered_json golden =
        nlohmann::ordered_json{{"point", point.definition}, {"metrics", nlohmann::ordered_json::object()}};
    bool have_golden = false;
    if (fs::exists(file)) {
      const auto loaded = nlohmann::ordered_json::parse(read_text(file), nullptr, false);
      have_golden = loaded.is_object() && loaded.contains("metrics") && loaded["metrics"].is_object();
      if (have_golden) golden = loaded;
    }
    if (update && !have_golden) {
      std::cout << "new golden: " << file << "\n";
      updates.emplace_back(file, golden_document(point, line).dump(2) + "\n");
      continue;
    }
    const auto point_changes = compare_with_golden(point, golden, line, suite.relative_tolerance);
    bool moved = false;
    for (const auto& change : point_changes) moved = moved || change.regression;
    moved_points += moved ? 1 : 0;
    changes.insert(changes.end(), point_changes.begin(), point_changes.end());
    if (update) updates.emplace_back(file, golden_document(point, line).dump(2) + "\n");
  }
  size_t regressions = 0;
  for (const auto& change : changes) regressions += change.regression ? 1 : 0;
  if (!changes.empty()) std::cout << changes_table(changes);

  if (update) {
    std::error_code error;
    fs::create_directories(golden_dir, error);
    for (const auto& [file, content] : updates) write_file_atomically(file, content);
    for (const auto& entry : fs::directory_iterator(golden_dir)) {
      bool in_suite = false;
      for (const auto& [file, content] : updates)
        in_suite = in_suite || fs::equivalent(file, entry.path(), error);
      if (entry.path().extension() == ".json" && !in_suite) fs::remove(entry.path(), error);
    }
    std::cout << fmt::format(
        "updated {} goldens in {} ({} metrics changed); review the diff before committing\n", updates.size(),
        golden_dir, regressions);
    return 0;
  }
  if (regressions > 0) {
    std::cout << fmt::format(
        "REGRESSION: {} metrics moved in {} of {} points (relative tolerance for floating "
        "metrics {:g}; integers exact). If intended: npusim regress --golden {} --update\n",
        regressions, moved_points, suite.points.size(), suite.relative_tolerance, golden_dir);
    return 1;
  }
  std::cout << fmt::format("ok: {} points match the goldens in {}\n", suite.points.size(), golden_dir);
  return 0;
}

}  // namespace npusim
