// NPU config parsing: defaults, presets, base layering, --set overrides, and every class of bad input.
#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "arch/spec/input_error.h"
#include "arch/spec/npu_config_parse.h"
#include "sim/io/config_loader.h"
#include "tests/support/input_error_of.h"
#include "tests/support/test_temp_dir.h"

using namespace npusim;
using namespace npusim_test;
using nlohmann::json;

namespace {

std::string error_of(const json& document) {
  return input_error_of([&] { parse_npu_config(document, "x.json"); });
}

std::string write_temp(const std::string& name, const std::string& content) {
  const auto path = (npusim_test::process_temp_dir() / name).string();
  std::ofstream(path) << content;
  return path;
}

}  // namespace

TEST_CASE("config: an empty document gives the documented defaults") {
  const NpuConfig config = parse_npu_config(json::object(), "x.json");
  CHECK(config.array.rows == 32);
  CHECK(config.array.dataflow == Dataflow::kWeightStationary);
  CHECK(config.sram.capacity_bytes == 2 * kMiB);
  CHECK(config.timing_mode == TimingMode::kDefault);
}

TEST_CASE("config: to_json then parse is the identity") {
  json document = {{"array", {{"rows", 8}, {"cols", 16}, {"dataflow", "os"}, {"dtypes", {"bf16", "int8"}}}},
                   {"dram", {{"bandwidth_gbytes_per_s", 12.5}}}};
  const NpuConfig config = parse_npu_config(document, "x.json");
  CHECK(npu_config_to_json(parse_npu_config(npu_config_to_json(config), "y.json")) == npu_config_to_json(config));
  CHECK(config.array.cols == 16);
  CHECK(config.array.dtypes.front() == DType::kBf16);
}

TEST_CASE("config: bad values name the file, the dotted path and the expectation") {
  CHECK(error_of({{"sram", {{"bank", 4}}}}) == "x.json: npu.sram.bank: unknown field");
  CHECK(error_of({{"array", {{"rows", 0}}}}).find("npu.array.rows: expected a positive integer") != std::string::npos);
  CHECK(error_of({{"array", {{"rows", -3}}}}).find("npu.array.rows") != std::string::npos);
  CHECK(error_of({{"array", {{"rows", "32"}}}}).find("expected a positive integer, got \"32\"") != std::string::npos);
  CHECK(error_of({{"array", {{"rows", 2.5}}}}).find("npu.array.rows") != std::string::npos);
  CHECK(error_of({{"array", {{"dataflow", "rs"}}}}) == "x.json: npu.array.dataflow: \"rs\" is not one of: os, ws, is");
  CHECK(error_of({{"array", {{"dtypes", {"fp4"}}}}}).find("'fp4' is not one of: int8, fp8") != std::string::npos);
  CHECK(error_of({{"array", {{"count", 0}}}}).find("npu.array.count: expected a positive integer") != std::string::npos);
  CHECK(error_of({{"array", {{"macs_per_pe_cycle", {{"int8", 0}}}}}}).find("npu.array.macs_per_pe_cycle.int8") !=
        std::string::npos);
  CHECK(error_of({{"array", {{"macs_per_pe_cycle", {{"int8", -0.5}}}}}}).find("npu.array.macs_per_pe_cycle.int8") !=
        std::string::npos);
  CHECK(error_of({{"array", {{"dtypes", {"int8"}}, {"macs_per_pe_cycle", {{"bf16", 0.5}}}}}}) ==
        "x.json: npu.array.macs_per_pe_cycle.bf16: the array does not support bf16 (npu.array.dtypes); a rate "
        "for it would do nothing");
  CHECK(error_of({{"array", {{"dtypes", json::array()}}}}).find("at least one") != std::string::npos);
  CHECK(error_of({{"dram", {{"bandwidth_gbytes_per_s", -1.0}}}}).find("npu.dram.bandwidth_gbytes_per_s") !=
        std::string::npos);
  CHECK(error_of({{"clock_mhz", 0}}).find("npu.clock_mhz: expected a positive number") != std::string::npos);
  CHECK(error_of({{"sram", 5}}).find("npu.sram: expected an object") != std::string::npos);
  CHECK(error_of(json::array()).find("expected an object") != std::string::npos);
}

TEST_CASE("config: every shipped preset validates") {
  const auto presets = list_presets("npu");
  REQUIRE(presets.size() >= 3);
  for (const auto& name : presets) {
    CAPTURE(name);
    const ConfigDocument document = load_config_document(name, "npu");
    CHECK_NOTHROW(parse_npu_config(document.document, document.file));
  }
}

TEST_CASE("config: base layering merges a patch over the base preset") {
  const std::string path = write_temp("derived.json", R"({"base": "npu/edge-int8.json", "array": {"rows": 16}})");
  const ConfigDocument document = load_config_document(path, "npu");
  const NpuConfig config = parse_npu_config(document.document, document.file);
  CHECK(config.array.rows == 16);  // from the patch
  CHECK(config.array.cols == 32);  // from the base
  CHECK(config.name == "edge-int8");
}

TEST_CASE("config: --set overrides use the same dotted paths as errors") {
  ConfigDocument document = load_config_document("edge-int8", "npu");
  apply_override(document, "npu", "npu.sram.banks=8");
  apply_override(document, "npu", "npu.array.dataflow=os");
  const NpuConfig config = parse_npu_config(document.document, document.file);
  CHECK(config.sram.banks == 8);
  CHECK(config.array.dataflow == Dataflow::kOutputStationary);
  apply_override(document, "npu", "npu.sram.bankz=8");
  CHECK_THROWS_WITH_AS(parse_npu_config(document.document, document.file),
                       doctest::Contains("npu.sram.bankz: unknown field"), InputError);
  CHECK_THROWS_AS(apply_override(document, "npu", "sram.banks=8"), InputError);
  CHECK_THROWS_AS(apply_override(document, "npu", "npu.sram.banks"), InputError);
}

TEST_CASE("config: --set of a preset reference applies the preset's values") {
  // tpu-v4 names "hbm2e" and sets kind, bandwidth, channels and capacity beside it: without dropping
  // them, hbm3's values would all be overridden and the assignment would change nothing.
  ConfigDocument document = load_config_document("tpu-v4", "npu");
  apply_override(document, "npu", "npu.dram.preset=hbm3");
  const NpuConfig config = parse_npu_config(document.document, document.file);
  CHECK(config.dram.preset == "hbm3");
  CHECK(config.dram.kind == "hbm3");
  CHECK(config.dram.bandwidth_gbytes_per_s == 819.2);  // one JESD238 stack (configs/dram/hbm3.json)
  CHECK(config.dram.channels == 16);
  CHECK(config.dram.capacity_bytes == 34359738368ull);  // not in the DRAM preset: the chip's stays
  // A field set by an override, before or after the preset, stays.
  for (const bool channels_first : {true, false}) {
    ConfigDocument both = load_config_document("tpu-v4", "npu");
    if (channels_first) apply_override(both, "npu", "npu.dram.channels=32");
    apply_override(both, "npu", "npu.dram.preset=hbm3");
    if (!channels_first) apply_override(both, "npu", "npu.dram.channels=32");
    const NpuConfig resolved = parse_npu_config(both.document, both.file);
    CHECK(resolved.dram.channels == 32);
    CHECK(resolved.dram.bandwidth_gbytes_per_s == 819.2);
  }
  ConfigDocument unknown = load_config_document("tpu-v4", "npu");
  apply_override(unknown, "npu", "npu.dram.preset=hbm9");
  CHECK_THROWS_WITH_AS(parse_npu_config(unknown.document, unknown.file),
                       doctest::Contains("npu.dram.preset: 'hbm9' is not one of"), InputError);
  CHECK_THROWS_WITH_AS(apply_override(unknown, "npu", "npu.base=npu/edge-int8.json"),
                       doctest::Contains("--set npu.base: a base is layered when the config loads"), InputError);
}

TEST_CASE("config: malformed JSON names the file and line") {
  const std::string path = write_temp("broken.json", "{\n  \"array\": {\n    \"rows\": ,\n  }\n}\n");
  CHECK_THROWS_WITH_AS(load_config_document(path, "npu"), doctest::Contains("broken.json: line 3, column 13: expected valid JSON"),
                       InputError);
}

TEST_CASE("config: unknown preset lists the known ones; a base cycle is an error") {
  CHECK_THROWS_WITH_AS(load_config_document("nope", "npu"), doctest::Contains("edge-int8"), InputError);
  const std::string a = write_temp("cycle_a.json", R"({"base": "cycle_b.json"})");
  write_temp("cycle_b.json", R"({"base": "cycle_a.json"})");
  CHECK_THROWS_WITH_AS(load_config_document(a, "npu"), doctest::Contains("base"), InputError);
}
