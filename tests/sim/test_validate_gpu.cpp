// `npusim validate-gpu` and the run's GPU assumptions end to end: the calibration table, bad calibration
// files (exit 2, one line naming file, row and column), unpadded encoders and FP8 on the GPU side.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/sim/cli_harness.h"

using namespace npusim_test;
using nlohmann::json;

namespace {

void check_one_line_error(const CommandResult& result, const std::string& expected) {
  CAPTURE(result.output);
  CHECK(result.exit_code == 2);
  CHECK(line_count(result.output) == 1);
  CHECK(result.output.rfind("npusim: error: ", 0) == 0);
  CHECK(result.output.find(expected) != std::string::npos);
}

json run_to_json(const std::string& name, const std::string& arguments) {
  return run_result_json("run --quiet " + arguments, fresh_dir(name));
}

}  // namespace

TEST_CASE("validate-gpu: prints every point, its error and the summary") {
  const CommandResult result = run_npusim("validate-gpu");
  CAPTURE(result.output);
  REQUIRE(result.exit_code == 0);
  for (const char* text : {"a100-sxm4-80gb", "h100-sxm5", "l4", "jetson-agx-orin", "bert-large",
                           "upper bound (gpu+2dla): holds", "mean |error|", "A100 FP16 GEMM sweep"}) {
    CHECK(result.output.find(text) != std::string::npos);
  }
  const CommandResult only = run_npusim("validate-gpu --gpu l4 --json");
  REQUIRE(only.exit_code == 0);
  const json parsed = json::parse(only.output);
  CHECK(parsed["points"].size() == 1);
  CHECK(parsed["points"][0]["gpu"] == "l4");
  CHECK(parsed["points"][0]["assumptions"].get<std::string>().find("sustained clock") != std::string::npos);
}

TEST_CASE("validate-gpu: bad calibration files and flags exit 2 with one line") {
  const std::string dir = fresh_dir("validate_gpu");
  const std::string header =
      "system,gpu,benchmark,precision,scenario,max_batch,seq_dist,accelerators,comparison,samples_per_s,source\n";
  const std::string missing = write_file(dir, "missing.csv", "system,gpu\ns,l4\n");
  check_one_line_error(run_npusim("validate-gpu --data " + missing),
                       missing + ": row 1, column benchmark: missing from the header");
  const std::string gpu = write_file(dir, "gpu.csv", header + "s,v100,resnet50,int8,offline,8,,gpu,equal,1,src\n");
  check_one_line_error(run_npusim("validate-gpu --data " + gpu), gpu + ": row 2, column gpu: 'v100'");
  const std::string rate = write_file(dir, "rate.csv", header + "s,l4,resnet50,int8,offline,8,,gpu,equal,0,src\n");
  check_one_line_error(run_npusim("validate-gpu --data " + rate), rate + ": row 2, column samples_per_s");
  check_one_line_error(run_npusim("validate-gpu --data " + dir + "/absent.csv"), "cannot open calibration file");
  check_one_line_error(run_npusim("validate-gpu --gpu l40s"), "--gpu: no calibration point");
  check_one_line_error(run_npusim("validate-gpu --set npu.clock_mhz=1"), "expected a gpu. path");
}

TEST_CASE("run: --seq-dist runs an encoder unpadded and the report says so") {
  const json padded = run_to_json("padded", "--npu edge-int8 --workload bert-base:seq=256 --gpu l4");
  const json unpadded =
      run_to_json("unpadded", "--npu edge-int8 --workload bert-base:seq=256 --gpu l4 --seq-dist uniform:64:192");
  const json& workload = unpadded["workloads"][0];
  CHECK(workload["source"].get<std::string>().find("seq=128") != std::string::npos);  // (64 + 192) / 2
  REQUIRE(workload.contains("notes"));
  CHECK(workload["notes"][0].get<std::string>().find("effective seq 128") != std::string::npos);
  const json& gpu = workload["comparison"]["gpu"];
  CHECK(gpu["time_s"].get<double>() < padded["workloads"][0]["comparison"]["gpu"]["time_s"].get<double>());
  CHECK(gpu["assumptions"].get<std::string>().find("fusion on, L2 residency on") != std::string::npos);
  CHECK(gpu["sustained_clock_mhz"].get<double>() <= 2040.0);
  CHECK(gpu["average_power_w"].get<double>() <= gpu["power_cap_w"].get<double>() * (1.0 + 1e-9));
  const std::string out = fresh_dir("seq_dist_bad");
  check_one_line_error(run_npusim("run --npu edge-int8 --workload gpt2 --seq-dist fixed:8 --out " + out),
                       "--seq-dist: 'gpt2' is not an encoder workload");
  check_one_line_error(run_npusim("run --npu edge-int8 --workload bert-base --seq-dist beta:1 --out " + out),
                       "--seq-dist: 'beta:1': expected fixed:N");
}

TEST_CASE("run: FP8 on the GPU side runs an L4 GEMM faster than BF16 and leaves the NPU side unchanged") {
  // L4: 242.5 TF FP8 = 2 x 121 TF BF16 (REFERENCE.md §3.1). A large BF16 GEMM computed in FP8 on the GPU
  // runs faster than in BF16; the NPU side is unchanged.
  const std::string args = "--npu datacenter-bf16 --workload gemm:m=2048,n=2048,k=2048 --dtype bf16 --gpu l4";
  const json bf16 = run_to_json("bf16", args);
  const json fp8 = run_to_json("fp8", args + " --set gpu.compute_dtype=fp8");
  const double bf16_s = bf16["workloads"][0]["comparison"]["gpu"]["time_s"].get<double>();
  const double fp8_s = fp8["workloads"][0]["comparison"]["gpu"]["time_s"].get<double>();
  CHECK(fp8_s < bf16_s);
  CHECK(fp8["totals"]["cycles"] == bf16["totals"]["cycles"]);
}
