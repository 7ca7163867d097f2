// `npusim bench`: simulator speed. Each case runs `npusim run` in a child process (SystemC elaborates
// once per process), timed from outside: wall seconds, simulated cycles per wall second, peak RSS.
#pragma once

#include <string>
#include <vector>

namespace npusim {

struct BenchCase {
  std::string npu;
  std::string workload;
};

struct BenchOptions {
  std::vector<BenchCase> cases;  // empty: default_bench_cases()
  int repeats = 3;               // runs per case; the best wall time is reported
  std::string json_path;         // non-empty: also write the results as JSON
};

// The fixed set timed when no case is given (README's benchmark table).
std::vector<BenchCase> default_bench_cases();

// Prints one line per case; returns the exit code. A failing child run throws InputError.
int bench_command(const BenchOptions& options);

}  // namespace npusim
