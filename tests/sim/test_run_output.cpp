// `npusim run` on the terminal: the per-layer table behind --layers past 50 layers, and progress on
// stderr only when asked for (or on a terminal), without changing any result.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/sim/cli_harness.h"

using namespace npusim_test;

namespace {

size_t count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("run output: past 50 layers a summary, the table behind --layers") {
  const std::string base = "run --npu edge-int8 --gpu none --workload resnet50";
  const auto json = nlohmann::json::parse([&] {
    const std::string out = fresh_dir("layers_auto");
    REQUIRE(run_npusim(base + " --quiet --out " + out).exit_code == 0);
    return read_file(out + "/result.json");
  }());
  const size_t layers = json["layers"].size();
  REQUIRE(layers > 50);

  const CommandResult summary = run_npusim(base);
  CAPTURE(summary.output);
  REQUIRE(summary.exit_code == 0);
  CHECK(summary.output.find("DRAM rd") == std::string::npos);  // no table header
  CHECK(summary.output.find("0 of " + std::to_string(layers) + " layers listed") != std::string::npos);
  CHECK(summary.output.find("slowest layers:") != std::string::npos);
  CHECK(summary.output.find("total:") != std::string::npos);

  // --layers all: the header and one line per layer, each ending in its bound (memory or compute).
  const CommandResult all = run_npusim(base + " --layers all");
  REQUIRE(all.exit_code == 0);
  CHECK(count(all.output, "DRAM rd") == 1);
  CHECK(count(all.output, "  memory\n") + count(all.output, "  compute\n") == layers);

  // A filter keeps the rows whose name or op contains it (resnet50's convolutions: op conv2d).
  size_t convs = 0;
  for (const auto& row : json["layers"]) {
    const std::string name = row["name"], op = row["op"];
    convs += name.find("conv") != std::string::npos || op.find("conv") != std::string::npos ? 1 : 0;
  }
  const CommandResult filtered = run_npusim(base + " --layers conv");
  REQUIRE(filtered.exit_code == 0);
  CHECK(filtered.output.find(std::to_string(convs) + " of " + std::to_string(layers) + " layers listed") !=
        std::string::npos);

  // A one-layer workload lists its layer by default.
  const CommandResult gemm = run_npusim("run --npu edge-int8 --gpu none --workload gemm:m=64,n=64,k=64");
  CHECK(count(gemm.output, "DRAM rd") == 1);
  CHECK(gemm.output.find("layers listed") == std::string::npos);
}

TEST_CASE("run output: progress only when asked (not a terminal here), results unchanged") {
  const std::string base = "run --npu edge-int8 --gpu none --workload mobilenetv2 --quiet --out ";
  const std::string plain = fresh_dir("progress_off"), shown = fresh_dir("progress_on");
  const CommandResult off = run_npusim(base + plain);
  REQUIRE(off.exit_code == 0);
  CHECK(off.output.find("layers done") == std::string::npos);  // popen's pipe is not a terminal
  const CommandResult on = run_npusim(base + shown + " --progress");
  REQUIRE(on.exit_code == 0);
  CHECK(on.output.find("layers done") != std::string::npos);
  // Running the kernel in slices for the progress line reorders nothing: the same bytes.
  CHECK(read_file(plain + "/result.json") == read_file(shown + "/result.json"));
  const CommandResult both = run_npusim(base + plain + " --progress --no-progress");
  CHECK(both.exit_code == 2);
  CHECK(both.output.find("--progress: conflicts with --no-progress") != std::string::npos);
}
