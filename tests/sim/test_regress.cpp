// `npusim regress`: a 1% change of any timing parameter moves some metric of the suite (so CI catches
// it), exact integers and tolerant floats, golden folders that do not match the suite (exit 2),
// and goldens that break the JSON rules (read as none).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "sim/regress/regress_suite.h"
#include "tests/sim/cli_harness.h"

using namespace npusim_test;
namespace fs = std::filesystem;

namespace {

const std::string kSuite = std::string(NPUSIM_SOURCE_DIR) + "/tests/regression/suite.json";

// Goldens made by this build from the shipped suite, so these tests do not depend on whether the
// committed goldens are current (the `regression` ctest checks those).
std::string fresh_goldens(const std::string& name) {
  const std::string dir = fresh_dir(name) + "/golden";
  const CommandResult update = run_npusim("regress --suite " + kSuite + " --golden " + dir + " --update");
  INFO(update.output);
  REQUIRE(update.exit_code == 0);
  return dir;
}

std::string regress(const std::string& golden, const std::string& extra = "") {
  return "regress --suite " + kSuite + " --golden " + golden + " " + extra;
}

void edit_golden(const std::string& file, const std::function<void(nlohmann::ordered_json&)>& edit) {
  auto json = nlohmann::ordered_json::parse(read_file(file));
  edit(json);
  std::ofstream(file) << json.dump(2) << "\n";
}

}  // namespace

TEST_CASE("regress: a 1% change of any timing parameter is a regression (exit 1)") {
  const std::string golden = fresh_goldens("regress_perturb");
  REQUIRE(run_npusim(regress(golden)).exit_code == 0);
  // --scale multiplies the resolved value of every suite point's config; an integer moves by at least 1
  // (16 setup cycles * 1.01 rounds to 16, so it becomes 17).
  for (const char* parameter :
       {"npu.clock_mhz=1.01", "npu.clock_mhz=0.99", "npu.dram.bandwidth_gbytes_per_s=1.01",
        "npu.dram.bandwidth_gbytes_per_s=0.99", "npu.dram.latency_ns=1.01", "npu.dram.channels=1.01",
        "npu.dram.interleave_bytes=1.01", "npu.dma.setup_cycles=1.01", "npu.dma.setup_cycles=0.99",
        "npu.dma.bytes_per_cycle=1.01", "npu.dma.max_outstanding=1.01", "npu.sram.latency_cycles=1.01",
        "npu.sram.banks=1.01", "npu.sram.bank_width_bytes=1.01", "npu.vector.lanes=1.01",
        "npu.vector.latency_cycles=1.01", "npu.noc.link_bytes_per_cycle=1.01",
        "npu.noc.hop_latency_cycles=1.01"}) {
    const CommandResult result = run_npusim(regress(golden, std::string("--scale ") + parameter));
    CAPTURE(parameter);
    CAPTURE(result.output);
    CHECK(result.exit_code == 1);
    CHECK(result.output.find("REGRESSION: ") != std::string::npos);
  }
  // The same through --set: edge-int8's 1000 MHz clock to 1010 MHz.
  const CommandResult clock = run_npusim(regress(golden, "--set npu.clock_mhz=1010"));
  CHECK(clock.exit_code == 1);
}

TEST_CASE("regress: integers compare exactly, floats within the suite's relative tolerance") {
  const std::string golden = fresh_goldens("regress_tolerance");
  const std::string file = golden + "/edge-gemm-compute.json";
  edit_golden(file, [](auto& json) {
    json["metrics"]["cycles"] = json["metrics"]["cycles"].template get<uint64_t>() + 1;
  });
  const CommandResult cycles = run_npusim(regress(golden));
  CAPTURE(cycles.output);
  CHECK(cycles.exit_code == 1);
  CHECK(cycles.output.find("edge-gemm-compute") != std::string::npos);
  CHECK(cycles.output.find("REGRESSION: 1 metrics moved in 1 of") != std::string::npos);

  const std::string restored = fresh_goldens("regress_tolerance");
  const std::string time_file = restored + "/edge-gemm-compute.json";
  // The suite states 1e-9: a change of 1e-12 relative passes, 1e-6 fails.
  edit_golden(time_file, [](auto& json) {
    json["metrics"]["time_s"] = json["metrics"]["time_s"].template get<double>() * (1 + 1e-12);
  });
  CHECK(run_npusim(regress(restored)).exit_code == 0);
  edit_golden(time_file, [](auto& json) {
    json["metrics"]["time_s"] = json["metrics"]["time_s"].template get<double>() * (1 + 1e-6);
  });
  const CommandResult time = run_npusim(regress(restored));
  CHECK(time.exit_code == 1);
  CHECK(time.output.find("time_s") != std::string::npos);
}

TEST_CASE("regress: a golden folder that does not match the suite is bad input (exit 2)") {
  const std::string golden = fresh_goldens("regress_mismatch");
  auto check_bad = [](const std::string& arguments, const std::string& where) {
    const CommandResult result = run_npusim(arguments);
    CAPTURE(arguments);
    CAPTURE(result.output);
    CHECK(result.exit_code == 2);
    CHECK(line_count(result.output) == 1);
    CHECK(result.output.rfind("npusim: error: ", 0) == 0);
    CHECK(result.output.find(where) != std::string::npos);
  };
  check_bad(regress(golden + "-missing"), "golden folder not found");

  fs::copy_file(golden + "/tpu-v1-fc.json", golden + "/retired-point.json");
  check_bad(regress(golden), "retired-point.json: not a point of suite");
  fs::remove(golden + "/retired-point.json");

  edit_golden(golden + "/tpu-v1-fc.json",
              [](auto& json) { json["point"]["workload"] = "fc:in=2048,out=999"; });
  check_bad(regress(golden), "tpu-v1-fc.json: point: does not match suite entry 'tpu-v1-fc'");

  fs::remove(golden + "/tpu-v1-fc.json");
  check_bad(regress(golden), "tpu-v1-fc.json: missing");

  // --update repairs the folder; goldens from a perturbed run are refused.
  check_bad(regress(golden, "--update --set npu.clock_mhz=1010"), "--update");
  CHECK(run_npusim(regress(golden, "--update")).exit_code == 0);
  CHECK(run_npusim(regress(golden)).exit_code == 0);

  const std::string dir = fresh_dir("regress_bad_suite");
  const std::string suite = write_file(
      dir, "suite.json",
      R"({"points": [{"name": "a", "npu": "edge-int8", "workload": "fc:in=8,out=8", "sett": []}]})");
  check_bad("regress --suite " + suite + " --golden " + golden, "suite.json: points[0].sett: unknown field");
}

TEST_CASE("regress: a golden that breaks the JSON rules reads as none (--update rewrites it), no crash") {
  // 100,000 nested arrays: past the 256 levels any input may nest. The comparison and the table of
  // changes recurse once per level, so the lenient --update read must refuse it (fuzz_golden, crafted).
  npusim::SuitePoint point;
  point.name = "p";
  point.definition = {{"npu", "edge-int8"}, {"workload", "fc:in=8,out=8"}};
  const std::string dir = fresh_dir("regress_deep_golden");
  const std::string deep = "{\"point\": 1, \"metrics\": {\"cycles\": " + std::string(100000, '[') +
                           std::string(100000, ']') + "}}";
  bool found = true;
  const auto golden = npusim::read_golden(point, write_file(dir, "deep.json", deep), found);
  CHECK_FALSE(found);
  CHECK(golden["metrics"].empty());
  CHECK(golden["point"] == point.definition);
  const std::string twice = R"({"point": 1, "metrics": {"a": 1, "a": 2}})";
  npusim::read_golden(point, write_file(dir, "twice.json", twice), found);
  CHECK_FALSE(found);
  const std::string metrics = R"({"point": 1, "metrics": {"a": 1}})";
  const auto good = npusim::read_golden(point, write_file(dir, "good.json", metrics), found);
  CHECK(found);
  CHECK(good["metrics"]["a"] == 1);
}
