// Sweep crash safety: SIGKILL the runner at random moments, or one of its workers, then resume; the
// results must equal an uninterrupted run: same points, no duplicate lines, identical numbers.
#include <doctest/doctest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "sim/io/child_process.h"
#include "tests/sim/cli_harness.h"

using namespace npusim_test;
namespace fs = std::filesystem;

namespace {

// 8 x 10 = 80 tiny points, a few milliseconds of simulation each.
std::string write_spec(const std::string& dir) {
  return write_file(dir, "spec.json", R"({
    "name": "resume",
    "npu": "edge-int8",
    "axes": [
      {"path": "npu.array.rows", "values": [8, 12, 16, 24, 32, 48, 64, 96]},
      {"path": "npu.dma.setup_cycles", "values": [4, 8, 12, 16, 20, 24, 32, 48, 64, 96]}
    ],
    "workloads": ["gemm:m=64,n=64,k=64"]
  })");
}

pid_t start_sweep(const std::string& spec, const std::string& out) {
  const int null_fd = npusim::open_child_output("/dev/null");
  return npusim::start_child({NPUSIM_BINARY, "sweep", spec, "-j", "2", "--out", out}, {null_fd, null_fd});
}

// Every line of a results file must parse (no torn lines after a SIGKILL): id -> metrics.
std::map<std::string, nlohmann::json> strict_results(const std::string& path, size_t* lines) {
  std::map<std::string, nlohmann::json> by_id;
  std::ifstream in(path);
  std::string line;
  *lines = 0;
  while (std::getline(in, line)) {
    ++*lines;
    const auto json = nlohmann::json::parse(line);
    CHECK(json["status"] == "ok");
    const bool fresh = by_id.emplace(json["id"].get<std::string>(), json["metrics"]).second;
    CHECK_MESSAGE(fresh, "duplicate line for point " << json["id"]);
  }
  return by_id;
}

// The pids of a process's children (Linux: /proc/PID/task/TID/children).
std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> children;
  std::ifstream in("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) + "/children");
  pid_t child = 0;
  while (in >> child) children.push_back(child);
  return children;
}

}  // namespace

TEST_CASE("sweep resume: SIGKILL of the runner five times, then resume, equals an uninterrupted run") {
  const std::string dir = fresh_dir("resume_kill");
  const std::string spec = write_spec(dir);
  const auto start = std::chrono::steady_clock::now();
  REQUIRE(run_npusim("sweep " + spec + " -j 2 --out " + dir + "/reference").exit_code == 0);
  const auto reference_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  size_t reference_lines = 0;
  const auto reference = strict_results(dir + "/reference/results.jsonl", &reference_lines);
  REQUIRE(reference.size() == 80);

  // Each kill lands within the first 15% of an uninterrupted run's time, so five of them leave work
  // for the final resume; the seed is fixed so a failure can be replayed.
  std::mt19937 random(20240611);
  std::uniform_int_distribution<long> delay_ms(reference_ms / 50 + 1, reference_ms * 15 / 100 + 2);
  const std::string out = dir + "/killed";
  for (int kill = 0; kill < 5; ++kill) {
    const pid_t runner = start_sweep(spec, out);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    ::kill(runner, SIGKILL);
    int status = 0;
    waitpid(runner, &status, 0);
    // Workers die with their runner (PR_SET_PDEATHSIG); give them a moment to be reaped.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  size_t partial_lines = 0;
  const auto partial = strict_results(out + "/results.jsonl", &partial_lines);
  MESSAGE("points recorded before the final resume: " << partial.size() << " of 80");
  CHECK(partial.size() < 80);
  const CommandResult resumed = run_npusim("sweep " + spec + " -j 2 --out " + out);
  CAPTURE(resumed.output);
  REQUIRE(resumed.exit_code == 0);
  size_t lines = 0;
  const auto results = strict_results(out + "/results.jsonl", &lines);
  CHECK(lines == 80);
  CHECK(results == reference);
  CHECK(read_file(out + "/results.csv") == read_file(dir + "/reference/results.csv"));
}

TEST_CASE("sweep resume: a worker killed by a signal is not recorded and is retried on resume") {
  const std::string dir = fresh_dir("resume_worker");
  const std::string spec = write_file(dir, "spec.json", R"({
    "npu": "edge-int8",
    "axes": [{"path": "npu.array.rows", "values": [16, 32]}],
    "workloads": ["resnet50"]
  })");
  const std::string out = dir + "/out";
  const pid_t runner = start_sweep(spec, out);
  // Wait for the first workers to start, then kill one of them.
  std::vector<pid_t> workers;
  for (int i = 0; i < 500 && workers.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    workers = children_of(runner);
  }
  REQUIRE_FALSE(workers.empty());
  ::kill(workers.front(), SIGKILL);
  int status = 0;
  waitpid(runner, &status, 0);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 1);  // not every point recorded
  size_t lines = 0;
  CHECK(strict_results(out + "/results.jsonl", &lines).size() == 1);
  const CommandResult resumed = run_npusim("sweep " + spec + " --out " + out);
  CAPTURE(resumed.output);
  CHECK(resumed.exit_code == 0);
  CHECK(resumed.output.find("1 already recorded, 1 to run") != std::string::npos);
  CHECK(strict_results(out + "/results.jsonl", &lines).size() == 2);
}
