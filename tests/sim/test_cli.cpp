// End-to-end CLI contract: subcommands and --help, result files, determinism, and bad input
// (one line naming file and field, exit code 2, no result files left behind).
#include <doctest/doctest.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "tests/sim/cli_harness.h"

using namespace npusim_test;

TEST_CASE("cli: every subcommand has --help") {
  for (const char* command :
       {"run", "list", "validate", "validate-gpu", "bench", "export-trace", "sweep", "pareto", "regress", "serve", "fleet"}) {
    const CommandResult result = run_npusim(std::string(command) + " --help");
    CAPTURE(command);
    CHECK(result.exit_code == 0);
    CHECK(result.output.find("usage: npusim") != std::string::npos);
  }
  CHECK(run_npusim("--help").exit_code == 0);
}

TEST_CASE("cli: unknown command and unknown flag are rejected with exit code 2") {
  const CommandResult unknown = run_npusim("frobnicate");
  CHECK(unknown.exit_code == 2);
  CHECK(unknown.output.find("frobnicate: unknown command") != std::string::npos);
  check_rejected("run --npu edge-int8 --workload gemm:m=8,n=8,k=8 --frob 1", "--frob");
  check_rejected("run --npu edge-int8 --workload gemm:m=8,n=8,k=8 --batch 0", "--batch");
  check_rejected("run --npu edge-int8 --workload gemm:m=8,n=8,k=8 --batch x", "batch");
  check_rejected("run --npu edge-int8 --workload gemm:m=8,n=8,k=8 --dtype fp4", "--dtype");
  // fp8 is a type, but not one of this array's
  check_rejected("run --npu edge-int8 --gpu none --workload gemm:m=8,n=8,k=8 --dtype fp8", "npu.array.dtypes");
}

TEST_CASE("cli: run writes a schema-versioned result.json and layers.csv") {
  const std::string out = fresh_dir("run");
  const CommandResult result = run_npusim("run --npu edge-int8 --workload gemm:m=256,n=128,k=64 --out " + out);
  REQUIRE(result.exit_code == 0);
  const auto json = nlohmann::json::parse(read_file(out + "/result.json"));
  CHECK(json["schema_version"] == 1);
  CHECK(json["npu"]["config"]["array"]["rows"] == 32);
  REQUIRE(json["layers"].size() == 1);
  // 256 * 128 * 64 MACs, counted by the model, not pasted from a run.
  CHECK(json["layers"][0]["macs"] == 256 * 128 * 64);
  CHECK(json["totals"]["macs"] == 256 * 128 * 64);
  CHECK(json["totals"]["cycles"].get<uint64_t>() > 0);
  const std::string csv = read_file(out + "/layers.csv");
  CHECK(csv.rfind("index,workload,name,op,", 0) == 0);
  CHECK(line_count(csv) == 2);
  CHECK(result.output.find("total:") != std::string::npos);
}

TEST_CASE("cli: results are deterministic bit for bit") {
  const std::string a = fresh_dir("det_a");
  const std::string b = fresh_dir("det_b");
  const std::string args = "run --npu edge-int8 --workload mobilenetv2 --quiet --out ";
  REQUIRE(run_npusim(args + a).exit_code == 0);
  REQUIRE(run_npusim(args + b).exit_code == 0);
  CHECK(read_file(a + "/result.json") == read_file(b + "/result.json"));
  CHECK(read_file(a + "/layers.csv") == read_file(b + "/layers.csv"));
}

TEST_CASE("cli: bad configs are rejected naming file and field") {
  const std::string dir = fresh_dir("configs");
  const std::string broken = write_file(dir, "broken.json", "{\"array\": {\"rows\": }");
  check_rejected("run --npu " + broken + " --workload resnet50", "broken.json: line 1, column 20: expected valid JSON");
  const std::string unknown = write_file(dir, "unknown.json", R"({"array": {"rowz": 4}})");
  check_rejected("run --npu " + unknown + " --workload resnet50", "npu.array.rowz: unknown field");
  const std::string wrong = write_file(dir, "wrong.json", R"({"sram": {"capacity_bytes": -5}})");
  check_rejected("run --npu " + wrong + " --workload resnet50", "npu.sram.capacity_bytes");
  const std::string zero = write_file(dir, "zero.json", R"({"array": {"cols": 0}})");
  check_rejected("run --npu " + zero + " --workload resnet50", "npu.array.cols: expected a positive integer");
  check_rejected("run --npu no-such-preset --workload resnet50", "--npu");
  check_rejected("run --npu edge-int8 --set npu.sram.bankz=3 --workload resnet50", "npu.sram.bankz");
  check_rejected("run --npu edge-int8 --set npu.array.dataflow=diagonal --workload resnet50", "npu.array.dataflow");
  check_rejected("run --npu " + dir + "/missing.json --workload resnet50", "missing.json");
}

TEST_CASE("cli: SRAM too small for any tile names the operator and the constraint") {
  check_rejected("run --npu edge-int8 --set npu.sram.capacity_bytes=64 --workload resnet50",
                 "sram.capacity_bytes");
}

TEST_CASE("cli: bad workloads are rejected") {
  check_rejected("run --npu edge-int8 --workload resnet51", "resnet51");
  check_rejected("run --npu edge-int8 --workload gemm:m=0,n=4,k=4", "gemm.m");
  const std::string dir = fresh_dir("csv");
  const std::string csv = write_file(dir, "bad.csv",
                                     "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
                                     "Channels, Num Filter, Strides,\nConv1, 224, abc, 3, 3, 3, 32, 2,\n");
  check_rejected("run --npu edge-int8 --workload " + csv, "line 2");
}

TEST_CASE("cli: validate prints ok for presets and rejects bad files") {
  CHECK(run_npusim("validate tpu-v1").exit_code == 0);
  const CommandResult printed = run_npusim("validate edge-int8 --print --set npu.array.rows=8");
  CHECK(printed.exit_code == 0);
  CHECK(nlohmann::json::parse(printed.output)["npu"]["array"]["rows"] == 8);
  const CommandResult bad = run_npusim("validate edge-int8 --set npu.dram.channels=0");
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("npu.dram.channels") != std::string::npos);
}

TEST_CASE("cli: list shows presets and zoo workloads") {
  const CommandResult result = run_npusim("list");
  CHECK(result.exit_code == 0);
  for (const char* name : {"edge-int8", "tpu-v1", "datacenter-bf16", "resnet50", "mobilenetv2", "yolov5s"}) {
    CHECK(result.output.find(name) != std::string::npos);
  }
}
