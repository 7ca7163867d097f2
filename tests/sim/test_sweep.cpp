// Sweeps: spec expansion and validation (in process, no simulation), the Pareto front, and the
// `npusim sweep` / `npusim pareto` contract end to end (results files, resume, failures, bad input).
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "arch/spec/input_error.h"
#include "sim/sweep/pareto.h"
#include "sim/sweep/results_store.h"
#include "sim/sweep/sweep_expansion.h"
#include "tests/sim/cli_harness.h"
#include "tests/support/input_error_of.h"

using namespace npusim_test;
namespace fs = std::filesystem;

namespace {

nlohmann::json small_spec() {
  return nlohmann::json::parse(R"({
    "npu": "edge-int8",
    "axes": [
      {"zip": [{"path": "npu.array.rows", "values": [8, 16, 32]},
               {"path": "npu.array.cols", "values": [8, 16, 32]}]},
      {"path": "npu.sram.capacity_bytes", "values": [262144, 524288]}
    ],
    "workloads": ["gemm:m=64,n=64,k=64", {"name": "fc", "params": {"in": 256, "out": 64}}]
  })");
}

std::string error_of(const nlohmann::json& spec) {
  return input_error_of(
      [&] { (void)npusim::expand_sweep(npusim::parse_sweep_spec(spec, "spec.json"), false); });
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start < text.size()) {
    const size_t end = text.find('\n', start);
    if (end == std::string::npos) break;
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

// A sweep of tiny GEMMs: 4 x 3 x 2 = 24 points, each a few milliseconds of simulation.
std::string write_gemm_spec(const std::string& dir, const std::string& extra_axis = "") {
  return write_file(dir, "spec.json",
                    R"({
    "name": "tiny",
    "npu": "edge-int8",
    "axes": [
      {"path": "npu.array.rows", "values": [8, 16, 32, 64]},
      {"path": "npu.dram.bandwidth_gbytes_per_s", "values": [8.5, 17, 34]})" +
                        extra_axis + R"(
    ],
    "workloads": ["gemm:m=64,n=64,k=64", "gemm:m=128,n=32,k=256"]
  })");
}

CommandResult run_with_path(const std::string& path, const std::string& arguments) {
  const std::string command = "PATH=" + path + " " + std::string(NPUSIM_BINARY) + " " + arguments + " 2>&1";
  CommandResult result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t count = 0;
  while ((count = fread(buffer, 1, sizeof buffer, pipe)) > 0) result.output.append(buffer, count);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

}  // namespace

TEST_CASE("cli sweep, pareto, regress: --help and missing arguments") {
  for (const char* command : {"sweep", "pareto", "regress"}) {
    const CommandResult help = run_npusim(std::string(command) + " --help");
    CAPTURE(command);
    CHECK(help.exit_code == 0);
    CHECK(help.output.find(std::string("usage: npusim ") + command) != std::string::npos);
    const CommandResult bare = run_npusim(command);
    CHECK(bare.exit_code == 2);
    CHECK(line_count(bare.output) == 1);
  }
}

TEST_CASE("sweep spec: zipped axes advance together, groups and workloads multiply") {
  const auto spec = npusim::parse_sweep_spec(small_spec(), "spec.json");
  const auto expansion = npusim::expand_sweep(spec, false);
  // 3 zipped (rows, cols) pairs x 2 SRAM sizes x 2 workloads = 12 points.
  REQUIRE(expansion.points.size() == 12);
  CHECK(npusim::axis_columns(spec) ==
        std::vector<std::string>{"workload", "npu.array.rows", "npu.array.cols", "npu.sram.capacity_bytes"});
  const auto& first = expansion.points.front();
  CHECK(first.axes["npu.array.rows"] == 8);
  CHECK(first.axes["npu.array.cols"] == 8);
  CHECK(first.request.workload == "gemm:m=64,n=64,k=64");
  CHECK(expansion.points.back().request.workload == "fc:in=256,out=64");
  CHECK(expansion.points.back().axes["npu.array.rows"] == 32);
  CHECK(expansion.points.back().axes["npu.array.cols"] == 32);
  std::set<std::string> ids;
  for (const auto& point : expansion.points) ids.insert(point.id);
  CHECK(ids.size() == 12);
  // Ids depend on the resolved settings only: a second expansion gives the same ones.
  CHECK(npusim::expand_sweep(spec, false).points[5].id == expansion.points[5].id);
}

TEST_CASE("sweep spec: constraints filter on resolved and derived fields") {
  auto json = small_spec();
  // macs = rows * cols: 64, 256, 1024; keep <= 256. SRAM <= 262144 keeps one of two sizes.
  json["constraints"] = nlohmann::json::parse(
      R"([{"derived": "macs", "max": 256}, {"path": "npu.sram.capacity_bytes", "max": 262144}])");
  const auto expansion = npusim::expand_sweep(npusim::parse_sweep_spec(json, "spec.json"), false);
  CHECK(expansion.points.size() == 2 * 1 * 2);
  CHECK(expansion.filtered == 12 - 4);
  json["constraints"] = nlohmann::json::parse(R"([{"derived": "macs", "min": 100000}])");
  CHECK(error_of(json).find("spec.json: constraints: all 12 points are filtered out") == 0);
}

TEST_CASE("sweep spec: bad input names the spec file and field") {
  auto json = small_spec();
  json["axes"][1]["path"] = "npu.sram.capacity";
  CHECK(error_of(json).rfind("spec.json: axes[1].path: 'npu.sram.capacity' is not a config field", 0) == 0);

  json = small_spec();
  json["axes"][1]["values"][1] = "big";
  CHECK(error_of(json).rfind(
            "spec.json: axes[1].values[1]: npu.sram.capacity_bytes: expected a positive integer", 0) == 0);

  json = small_spec();
  json["axes"][0]["zip"][1]["values"] = {8, 16};
  CHECK(error_of(json).rfind("spec.json: axes[0].zip[1].values: zipped axes need equal lengths", 0) == 0);

  json = small_spec();
  json["axes"][1]["values"] = nlohmann::json::array();
  CHECK(error_of(json).rfind("spec.json: axes[1].values: expected at least one value", 0) == 0);

  json = small_spec();
  json["axis"] = json["axes"];
  CHECK(error_of(json) == "spec.json: axis: unknown field");

  json = small_spec();
  json["axes"][1]["step"] = 2;
  CHECK(error_of(json) == "spec.json: axes[1].step: unknown field");

  json = small_spec();
  json["workloads"][0] = "nosuchnet";
  CHECK(error_of(json).rfind("spec.json: workloads[0]:", 0) == 0);

  json = small_spec();
  json["axes"][1]["values"] = {262144, 262144};
  CHECK(error_of(json).find("resolve to the same settings") != std::string::npos);
}

TEST_CASE("pareto front: non-dominated points by hand") {
  // (cycles, bytes): (1,9) (2,4) (3,4) (4,1) (5,5) (2,4): (3,4) is dominated by (2,4); (5,5) by (4,1);
  // the duplicate (2,4) stays.
  const std::vector<std::pair<double, double>> points{{1, 9}, {2, 4}, {3, 4}, {4, 1}, {5, 5}, {2, 4}};
  CHECK(npusim::pareto_front(points, {true, true}) == std::vector<size_t>{0, 1, 5, 3});
  // Maximising y instead: (1,9) dominates everything with x >= 1 except nothing beats it in x.
  CHECK(npusim::pareto_front(points, {true, false}) == std::vector<size_t>{0});
  CHECK(npusim::higher_is_better("mac_utilization"));
  CHECK(npusim::higher_is_better("tops_per_w"));
  CHECK_FALSE(npusim::higher_is_better("cycles"));
  CHECK_FALSE(npusim::higher_is_better("energy_j"));
}

TEST_CASE("results store: torn and foreign lines are skipped, the first line per id wins") {
  const std::string dir = fresh_dir("store");
  write_file(dir, "results.jsonl",
             "{\"id\":\"a\",\"status\":\"ok\",\"metrics\":{\"cycles\":1}}\n"
             "not json\n"
             "{\"id\":\"a\",\"status\":\"ok\",\"metrics\":{\"cycles\":2}}\n"
             "{\"id\":\"b\",\"status\":\"error\",\"error\":\"x\"}\n"
             "{\"id\":\"c\",\"sta");
  auto set = npusim::read_results(dir);
  CHECK(set.by_id.size() == 2);
  CHECK(set.by_id["a"]["metrics"]["cycles"] == 1);
  CHECK(set.lines_skipped == 2);
  {
    // Reopening ends the torn line first, so the next append is a line of its own.
    npusim::ResultAppender appender(dir + "/results.jsonl");
    appender.append({{"id", "c"}, {"status", "ok"}});
  }
  set = npusim::read_results(dir);
  CHECK(set.by_id.size() == 3);
}

TEST_CASE("cli sweep: runs every point, records results, resumes without re-running") {
  const std::string dir = fresh_dir("sweep_basic");
  const std::string spec = write_gemm_spec(dir);
  const std::string out = dir + "/out";
  const CommandResult first = run_npusim("sweep " + spec + " -j 2 --out " + out);
  CAPTURE(first.output);
  REQUIRE(first.exit_code == 0);
  const auto lines = lines_of(read_file(out + "/results.jsonl"));
  REQUIRE(lines.size() == 24);
  std::set<std::string> ids;
  for (const auto& line : lines) {
    const auto json = nlohmann::json::parse(line);
    CHECK(json["status"] == "ok");
    CHECK(json["metrics"]["cycles"].get<uint64_t>() > 0);
    // 64*64*64 or 128*32*256 MACs, whatever the config.
    const auto macs = json["metrics"]["macs"].get<uint64_t>();
    CHECK((macs == 64u * 64 * 64 || macs == 128u * 32 * 256));
    ids.insert(json["id"].get<std::string>());
  }
  CHECK(ids.size() == 24);
  const std::string csv = read_file(out + "/results.csv");
  CHECK(csv.rfind("id,workload,npu.array.rows,npu.dram.bandwidth_gbytes_per_s,status,error,", 0) == 0);
  CHECK(line_count(csv) == 25);
  CHECK(first.output.find("24 to run") != std::string::npos);

  const std::string jsonl_before = read_file(out + "/results.jsonl");
  const CommandResult again = run_npusim("sweep " + spec + " -j 2 --out " + out);
  CHECK(again.exit_code == 0);
  CHECK(again.output.find("24 already recorded, 0 to run") != std::string::npos);
  CHECK(read_file(out + "/results.jsonl") == jsonl_before);
  CHECK(read_file(out + "/results.csv") == csv);

  // -j 1 gives the same numbers (each point is deterministic and independent of the others).
  const CommandResult serial = run_npusim("sweep " + spec + " -j 1 --out " + dir + "/serial");
  REQUIRE(serial.exit_code == 0);
  CHECK(read_file(dir + "/serial/results.csv") == csv);

  const CommandResult pareto = run_npusim("pareto " + out + " --x cycles --y npu.array.rows");
  CAPTURE(pareto.output);
  CHECK(pareto.exit_code == 0);
  CHECK(pareto.output.find("Pareto front for gemm:m=64,n=64,k=64") != std::string::npos);
  CHECK(pareto.output.find("Best per metric") != std::string::npos);
  const std::string pareto_csv = read_file(out + "/pareto.csv");
  CHECK(pareto_csv.rfind("id,workload,npu.array.rows,npu.dram.bandwidth_gbytes_per_s,cycles,npu.array.rows\n",
                         0) == 0);
  CHECK(line_count(pareto_csv) >= 3);  // at least one point per workload
  const CommandResult bad_metric = run_npusim("pareto " + out + " --x cycles --y frobs");
  CHECK(bad_metric.exit_code == 2);
  CHECK(bad_metric.output.find("--y: 'frobs' is neither a metric nor a numeric axis") != std::string::npos);
}

TEST_CASE("cli sweep: a failing point records its error and the sweep continues") {
  const std::string dir = fresh_dir("sweep_fail");
  // 64 bytes of SRAM cannot hold any tile: the mapper rejects it inside the worker.
  const std::string spec = write_file(dir, "spec.json", R"({
    "npu": "edge-int8",
    "axes": [{"path": "npu.sram.capacity_bytes", "values": [64, 262144]}],
    "workloads": ["gemm:m=64,n=64,k=64"]
  })");
  const CommandResult result = run_npusim("sweep " + spec + " --out " + dir + "/out");
  CAPTURE(result.output);
  CHECK(result.exit_code == 0);
  const auto lines = lines_of(read_file(dir + "/out/results.jsonl"));
  REQUIRE(lines.size() == 2);
  size_t errors = 0;
  for (const auto& line : lines) {
    const auto json = nlohmann::json::parse(line);
    if (json["status"] == "error") {
      ++errors;
      CHECK(json["axes"]["npu.sram.capacity_bytes"] == 64);
      CHECK(json["error"].get<std::string>().rfind("npusim: error: ", 0) == 0);
    }
  }
  CHECK(errors == 1);
  CHECK(result.output.find("2 of 2 points recorded (1 ok, 1 error)") != std::string::npos);
  // An error is a finished point: a re-run does not retry it.
  CHECK(run_npusim("sweep " + spec + " --out " + dir + "/out").output.find("0 to run") != std::string::npos);
}

TEST_CASE("cli sweep: resume after a torn final line loses and duplicates nothing") {
  const std::string dir = fresh_dir("sweep_torn");
  const std::string spec = write_gemm_spec(dir);
  REQUIRE(run_npusim("sweep " + spec + " -j 2 --out " + dir + "/full").exit_code == 0);
  const auto full = lines_of(read_file(dir + "/full/results.jsonl"));
  // Keep 10 whole lines and half of the 11th, as a crash mid-write could leave them.
  std::string partial;
  for (size_t i = 0; i < 10; ++i) partial += full[i] + "\n";
  partial += full[10].substr(0, full[10].size() / 2);
  fs::create_directories(dir + "/resumed");
  write_file(dir + "/resumed", "results.jsonl", partial);
  const CommandResult resumed = run_npusim("sweep " + spec + " -j 2 --out " + dir + "/resumed");
  CAPTURE(resumed.output);
  REQUIRE(resumed.exit_code == 0);
  CHECK(resumed.output.find("10 already recorded, 14 to run") != std::string::npos);
  CHECK(read_file(dir + "/resumed/results.csv") == read_file(dir + "/full/results.csv"));
}

TEST_CASE("cli sweep: bad specs exit 2 with one line and write nothing") {
  const std::string dir = fresh_dir("sweep_bad");
  struct Case {
    std::string content;
    std::string where;
  };
  const std::vector<Case> cases{
      {"{\"npu\": \"edge-int8\", \"axes\": [", "spec.json: line 1, column 31: expected valid JSON"},
      {R"({"npu": "edge-int8", "axes": [{"path": "npu.array.rowz", "values": [8]}], "workloads": ["resnet50"]})",
       "spec.json: axes[0].path: 'npu.array.rowz' is not a config field"},
      {R"({"npu": "edge-int8", "axes": [{"path": "npu.array.rows", "values": [8, true]}], "workloads": ["resnet50"]})",
       "spec.json: axes[0].values[1]: npu.array.rows: expected a positive integer"},
      {R"({"npu": "edge-int8", "axes": [{"path": "npu.array.rows", "values": []}], "workloads": ["resnet50"]})",
       "spec.json: axes[0].values: expected at least one value"},
      {R"({"npu": "edge-int8", "axes": [], "workloads": ["resnet50"]})",
       "spec.json: axes: expected at least one axis"},
      {R"({"npu": "edge-int8", "axes": [{"path": "npu.array.rows", "values": [8]}], "workloads": ["resnet50"], "gpus": 1})",
       "spec.json: gpus: unknown field"},
      {R"({"npu": "no-such-npu", "axes": [{"path": "npu.array.rows", "values": [8]}], "workloads": ["resnet50"]})",
       "spec.json: npu: 'no-such-npu' is neither a file nor a preset"},
  };
  for (const auto& c : cases) {
    const std::string spec = write_file(dir, "spec.json", c.content);
    const CommandResult result = run_npusim("sweep " + spec + " --out " + dir + "/out");
    CAPTURE(c.content);
    CAPTURE(result.output);
    CHECK(result.exit_code == 2);
    CHECK(line_count(result.output) == 1);
    CHECK(result.output.rfind("npusim: error: ", 0) == 0);
    CHECK(result.output.find(c.where) != std::string::npos);
    CHECK_FALSE(fs::exists(dir + "/out"));
  }
  CHECK(run_npusim("sweep " + dir + "/missing.json").exit_code == 2);
  const std::string spec = write_gemm_spec(dir);
  CHECK(run_npusim("sweep " + spec + " -j 0").exit_code == 2);
  CHECK(run_npusim("sweep " + spec + " --partition x").exit_code == 2);
}

TEST_CASE("cli sweep: --slurm without Slurm installed is a one-line error") {
  const std::string dir = fresh_dir("sweep_noslurm");
  const std::string spec = write_gemm_spec(dir);
  // A PATH without Slurm, whatever this machine has installed.
  const CommandResult result =
      run_with_path("/nonexistent", "sweep " + spec + " --slurm --out " + dir + "/out");
  CAPTURE(result.output);
  CHECK(result.exit_code == 2);
  CHECK(line_count(result.output) == 1);
  CHECK(result.output.find("--slurm: sbatch is not on PATH") != std::string::npos);
  CHECK_FALSE(fs::exists(dir + "/out"));
}

TEST_CASE("cli sweep: --slurm-script writes an array job script and the pending points") {
  const std::string dir = fresh_dir("sweep_script");
  const std::string spec = write_gemm_spec(dir);
  const CommandResult result = run_npusim(
      "sweep " + spec + " --slurm-script --array-tasks 5 --array-parallelism 2 --partition debug --out " +
      dir + "/out");
  CAPTURE(result.output);
  REQUIRE(result.exit_code == 0);
  const std::string script = read_file(dir + "/out/slurm/sweep.sbatch");
  CHECK(script.rfind("#!/bin/bash\n", 0) == 0);
  CHECK(script.find("#SBATCH --array=0-4%2\n") != std::string::npos);
  CHECK(script.find("#SBATCH --partition=debug\n") != std::string::npos);
  CHECK(script.find("--shard \"${SLURM_ARRAY_TASK_ID}/5\"") != std::string::npos);
  const auto pending = nlohmann::json::parse(read_file(dir + "/out/slurm/pending.json"));
  CHECK(pending["points"].size() == 24);
  CHECK_FALSE(fs::exists(dir + "/out/results.jsonl"));

  // Running the shards by hand, as the array tasks would, then merging, records every point once.
  for (int task = 0; task < 5; ++task) {
    const CommandResult shard =
        run_npusim("sweep " + spec + " --out " + dir + "/out --shard " + std::to_string(task) + "/5");
    CAPTURE(shard.output);
    CHECK(shard.exit_code == 0);
  }
  CHECK(fs::exists(dir + "/out/shards/task-4.jsonl"));
  const CommandResult merged = run_npusim("sweep " + spec + " --merge --out " + dir + "/out");
  CAPTURE(merged.output);
  CHECK(merged.exit_code == 0);
  CHECK(lines_of(read_file(dir + "/out/results.jsonl")).size() == 24);
  CHECK_FALSE(fs::exists(dir + "/out/shards/task-4.jsonl"));
  REQUIRE(run_npusim("sweep " + spec + " --out " + dir + "/local").exit_code == 0);
  CHECK(read_file(dir + "/out/results.csv") == read_file(dir + "/local/results.csv"));
}
