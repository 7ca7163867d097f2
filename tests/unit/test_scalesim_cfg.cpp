// SCALE-Sim .cfg import: fields mapped into npusim's NPU schema (checked by the real parser) and errors.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "arch/spec/input_error.h"
#include "arch/spec/npu_config_parse.h"
#include "sim/io/scalesim_cfg.h"

namespace npusim {
namespace {

std::string fixture(const std::string& name) {
  return std::string(NPUSIM_SOURCE_DIR) + "/tests/data/scalesim/" + name;
}

constexpr const char* kMinimal =
    "[general]\nrun_name = r\n[architecture_presets]\nArrayHeight: 8\nArrayWidth: 4\nIfmapSramSzkB: 1\n"
    "FilterSramSzkB: 2\nOfmapSramSzkB: 3\nDataflow: is\nBandwidth: 5,7\n[run_presets]\nInterfaceBandwidth: "
    "USER\n";

void check_error(const std::string& text, const std::string& where, const std::string& fragment) {
  try {
    parse_scalesim_cfg(text, "x.cfg");
    FAIL("expected an InputError");
  } catch (const InputError& error) {
    CHECK(error.file() == "x.cfg");
    CHECK(error.where() == where);
    CHECK_MESSAGE(std::string(error.what()).find(fragment) != std::string::npos, error.what());
  }
}

std::string replace(std::string text, const std::string& from, const std::string& to) {
  return text.replace(text.find(from), from.size(), to);
}

}  // namespace

TEST_CASE("scalesim cfg: google.cfg layout, CALC mode") {
  const nlohmann::json doc = load_scalesim_cfg(fixture("google.cfg"));
  CHECK(doc["name"] == "GoogleTPU_v1_ws");
  CHECK(doc["array"]["rows"] == 256);
  CHECK(doc["array"]["dataflow"] == "ws");
  CHECK(doc["array"]["overlap_folds"] == false);
  CHECK(doc["timing"]["mode"] == "scalesim");
  // (6144 + 6144 + 2048) kB of 1-byte words
  CHECK(doc["sram"]["capacity_bytes"] == 14336ULL * 1024);
  // CALC ignores Bandwidth and uses SCALE-Sim's 10 words/cycle: 10 B/cycle at 1000 MHz = 10 GB/s.
  CHECK(doc["scalesim"]["bandwidth_words_per_cycle"] == 10.0);
  CHECK(doc["dram"]["bandwidth_gbytes_per_s"] == 10.0);

  const NpuConfig config = parse_npu_config(doc, "google.cfg");  // the document is valid npusim input
  CHECK(config.array.cols == 256);
  CHECK(config.array.dataflow == Dataflow::kWeightStationary);
  CHECK_FALSE(config.array.overlap_folds);
  CHECK(config.timing_mode == TimingMode::kScaleSim);
  CHECK(config.scalesim.ifmap_sram_kb == 6144);
  CHECK(config.scalesim.ofmap_sram_kb == 2048);
  CHECK(dram_bytes_per_cycle(config) == doctest::Approx(10.0));
}

TEST_CASE("scalesim cfg: USER bandwidth, rectangular OS array, ignored keys") {
  const NpuConfig config = parse_npu_config(load_scalesim_cfg(fixture("scale_user.cfg")), "scale_user.cfg");
  CHECK(config.name == "scale_example_run_32x16_os");
  CHECK(config.array.rows == 32);
  CHECK(config.array.cols == 16);
  CHECK(config.array.dataflow == Dataflow::kOutputStationary);
  CHECK(config.sram.capacity_bytes == 160 * 1024);  // 64 + 64 + 32 kB
  CHECK(config.scalesim.bandwidth_words_per_cycle == 64.0);
  CHECK(dram_bytes_per_cycle(config) == doctest::Approx(64.0));
  CHECK(config.dma.bytes_per_cycle >= 64);
  // A bandwidth list (one per bank): SCALE-Sim uses bws[0] for all three buffers.
  CHECK(parse_scalesim_cfg(kMinimal, "m.cfg")["scalesim"]["bandwidth_words_per_cycle"] == 5.0);
  // configparser keys are case-insensitive and accept "=" as well as ":".
  CHECK(parse_scalesim_cfg(replace(kMinimal, "ArrayHeight: 8", "arrayheight = 8"),
                           "m.cfg")["array"]["rows"] == 8);
}

TEST_CASE("scalesim cfg: errors name section.Key") {
  check_error(replace(kMinimal, "ArrayHeight: 8\n", ""), "architecture_presets.ArrayHeight", "missing");
  check_error(replace(kMinimal, "ArrayWidth: 4", "ArrayWidth: four"),
              "line 5: architecture_presets.ArrayWidth", "expected a positive integer, got 'four'");
  check_error(replace(kMinimal, "IfmapSramSzkB: 1", "IfmapSramSzkB: 0"),
              "line 6: architecture_presets.IfmapSramSzkB", "expected a positive integer");
  check_error(replace(kMinimal, "Dataflow: is", "Dataflow: rs"), "line 9: architecture_presets.Dataflow",
              "expected one of: os, ws, is");
  check_error(replace(kMinimal, "InterfaceBandwidth: USER", "InterfaceBandwidth: AUTO"),
              "line 12: run_presets.InterfaceBandwidth", "expected USER or CALC");
  check_error(replace(kMinimal, "Bandwidth: 5,7\n", ""), "architecture_presets.Bandwidth", "missing");
  check_error(replace(kMinimal, "Bandwidth: 5,7", "Bandwidth: 2.5"),
              "line 10: architecture_presets.Bandwidth", "expected a positive integer");
  check_error(std::string(kMinimal) + "[sparsity]\nSparsitySupport: true\n",
              "line 14: sparsity.SparsitySupport", "expected False");
  check_error(replace(kMinimal, "run_name = r\n", ""), "general.run_name", "missing");
  check_error(replace(kMinimal, "[general]\n", ""), "line 1", "expected a [section] header");
  check_error(replace(kMinimal, "Dataflow: is", "Dataflow is"), "line 9",
              "expected '[section]' or 'key = value'");
  check_error(std::string(kMinimal) + "[general]\n", "line 13", "duplicate section [general]");
  CHECK_THROWS_AS(load_scalesim_cfg("/nonexistent/x.cfg"), InputError);
  // Unknown keys and sections are errors (SCALE-Sim would silently ignore a misspelt key).
  check_error(replace(kMinimal, "Dataflow: is", "Dataflow: is\nArrayDepth: 2"),
              "line 10: architecture_presets.arraydepth", "unknown key in [architecture_presets]");
  check_error(std::string(kMinimal) + "[memory]\nBanks: 2\n", "line 14: memory.banks",
              "unknown section [memory]");
  check_error(replace(kMinimal, "[run_presets]\nInterfaceBandwidth: USER\n", ""), "[run_presets]",
              "missing section");
  check_error(std::string(kMinimal) + "[layout]\nIfmapCustomLayout: True\n",
              "line 14: layout.IfmapCustomLayout", "expected False");
  check_error(
      replace(kMinimal, "InterfaceBandwidth: USER", "InterfaceBandwidth: USER\nUseRamulatorTrace: True"),
      "line 13: run_presets.UseRamulatorTrace", "expected False");
  check_error(replace(kMinimal, "Dataflow: is", "Dataflow: is\nIfmapOffset: -5"),
              "line 10: architecture_presets.IfmapOffset", "expected a non-negative integer");
}

TEST_CASE("scalesim cfg: a SCALE-Sim v3 config (layout, sparsity off, request buffers, Ramulator off)") {
  const std::string v3 =
      std::string(kMinimal) +
      "[layout]\nIfmapCustomLayout: False\nIfmapSRAMBankBandwidth: 10\nIfmapSRAMBankNum: 10\n"
      "IfmapSRAMBankPort: 2\nFilterCustomLayout: False\nFilterSRAMBankBandwidth: 10\n"
      "FilterSRAMBankNum: 10\nFilterSRAMBankPort: 2\n[sparsity]\nSparsitySupport : false\n"
      "SparseRep : ellpack_block\nOptimizedMapping : false\nBlockSize : 8\n"
      "RandomNumberGeneratorSeed : 40\n";
  const std::string with_buffers =
      replace(replace(v3, "Dataflow: is",
                      "Dataflow: is\nMemoryBanks: 1\nReadRequestBuffer: 32\n"
                      "WriteRequestBuffer: 32"),
              "InterfaceBandwidth: USER", "InterfaceBandwidth: CALC\nUseRamulatorTrace: False");
  const nlohmann::json doc = parse_scalesim_cfg(with_buffers, "v3.cfg");
  CHECK(doc["array"]["dataflow"] == "is");
  CHECK(doc["scalesim"]["calc_bandwidth"] == true);
  CHECK(parse_scalesim_cfg(kMinimal, "m.cfg")["scalesim"]["calc_bandwidth"] == false);
}

}  // namespace npusim
