// `npusim regress`: run the regression suite (or read an earlier run's results) and compare every
// metric with the committed goldens, or rewrite them with --update.
#pragma once

#include <string>
#include <vector>

namespace npusim {

struct RegressOptions {
  std::string golden_dir;
  std::string suite_path;   // empty: suite.json beside the golden folder
  std::string results_dir;  // non-empty: compare this earlier --out DIR's results.jsonl instead of running
  std::string out_dir;      // keep this run's results.jsonl here (empty: a temporary folder)
  std::vector<std::string> sets;    // "npu.path=value" perturbations of every point
  std::vector<std::string> scales;  // "npu.path=FACTOR" perturbations of every point
  bool update = false;              // rewrite the goldens from this run
  int jobs = 2;                     // worker processes at once
};

// Returns the exit code: 0 when every metric matches (or the goldens were updated), 1 when a metric
// moved or a point failed. Bad input (a golden folder that does not match the suite) throws InputError.
int regress_command(const RegressOptions& options);

}  // namespace npusim
