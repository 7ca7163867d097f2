// NPU energy config and table: parsing, overrides, node scaling and SRAM size interpolation.
#include <doctest/doctest.h>

#include <cmath>

#include "analysis/energy/energy_table.h"
#include "arch/spec/energy_config.h"
#include "arch/spec/input_error.h"
#include "arch/spec/json_reader.h"
#include "tests/support/input_error_of.h"
#include "tests/support/relative_approx.h"
#include "tests/unit/energy_fixtures.h"

using namespace npusim;
using namespace npusim_test;
using nlohmann::json;

namespace {

EnergyConfig parse_energy(const json& energy) {
  const json document = {{"energy", energy}};
  ObjectReader reader(document, "x.json", "npu");
  EnergyConfig config;
  parse_energy_config(reader.child("energy"), config);
  return config;
}

std::string energy_error_of(const json& energy) {
  return input_error_of([&] { parse_energy(energy); });
}

}  // namespace

TEST_CASE("energy config: defaults, overrides and round trip") {
  const EnergyConfig defaults = parse_energy(json::object());
  CHECK(defaults.technology_node_nm == 7.0);
  CHECK(defaults.mac_pj.empty());
  CHECK_FALSE(defaults.sram_read_pj_per_byte.has_value());

  const EnergyConfig config = parse_energy({{"technology_node_nm", 16},
                                            {"mac_pj", {{"int8", 0.05}}},
                                            {"sram_read_pj_per_byte", 0.4},
                                            {"dram_pj_per_bit", {{"hbm3", 3.5}}},
                                            {"dma_descriptor_pj", 0},
                                            {"leakage_w", 2.5}});
  CHECK(config.technology_node_nm == 16.0);
  CHECK(config.mac_pj.at(DType::kInt8) == 0.05);
  CHECK(*config.sram_read_pj_per_byte == 0.4);
  CHECK(config.dram_pj_per_bit.at("hbm3") == 3.5);
  CHECK(*config.dma_descriptor_pj == 0.0);
  CHECK(*config.leakage_w == 2.5);
  const json out = energy_config_to_json(config);
  CHECK(energy_config_to_json(parse_energy(out)) == out);
}

TEST_CASE("energy config: bad input names npu.energy paths") {
  CHECK(energy_error_of({{"mac_pj", {{"int8", -0.2}}}})
            .find("x.json: npu.energy.mac_pj.int8: expected a non-negative") == 0);
  CHECK(energy_error_of({{"sram_read_pj_per_byte", -1}}).find("npu.energy.sram_read_pj_per_byte") !=
        std::string::npos);
  CHECK(energy_error_of({{"leakage_w", -1}}).find("npu.energy.leakage_w") != std::string::npos);
  CHECK(energy_error_of({{"technology_node_nm", 90}}) ==
        "x.json: npu.energy.technology_node_nm: expected 3 to 65 nm (the range of the Stillmaker & Baas "
        "scaling "
        "table), got 90");
  CHECK(energy_error_of({{"technology_node_nm", 2}}).find("npu.energy.technology_node_nm") !=
        std::string::npos);
  CHECK(energy_error_of({{"mac_pj", {{"fp4", 0.1}}}}) == "x.json: npu.energy.mac_pj.fp4: unknown field");
  CHECK(energy_error_of({{"dram_pj_per_bit", {{"hbm9", 1}}}}) ==
        "x.json: npu.energy.dram_pj_per_bit.hbm9: unknown field");
  CHECK(energy_error_of({{"mac_energy", 1}}) == "x.json: npu.energy.mac_energy: unknown field");
}

TEST_CASE("energy scaling: Stillmaker & Baas factors, interpolated log-log between tabulated nodes") {
  CHECK(logic_energy_scale(45.0) == approx(1.0));
  CHECK(logic_energy_scale(65.0) == approx(1.24));
  CHECK(logic_energy_scale(16.0) == approx(0.174));
  CHECK(logic_energy_scale(7.0) == approx(0.094));
  CHECK(logic_energy_scale(3.0) == approx(0.062));
  // 22 nm lies between 16 nm (0.174) and 45 nm (1.0): t = ln(22/16) / ln(45/16) = 0.3076,
  // factor = 0.174^(1 - t) = exp(0.6924 · ln 0.174) = 0.2982.
  const double t = std::log(22.0 / 16.0) / std::log(45.0 / 16.0);
  CHECK(logic_energy_scale(22.0) == approx(std::pow(0.174, 1.0 - t)));
  CHECK(logic_energy_scale(22.0) == approx(0.2982).epsilon(1e-3));
  // SRAM: the logic factor down to 22 nm, then sqrt(node / 22) below it: 7 nm -> 0.2982 · 0.5641.
  CHECK(sram_energy_scale(28.0) == approx(logic_energy_scale(28.0)));
  CHECK(sram_energy_scale(7.0) == approx(logic_energy_scale(22.0) * std::sqrt(7.0 / 22.0)));
  CHECK_THROWS_AS(logic_energy_scale(90.0), std::out_of_range);
}

TEST_CASE("energy SRAM: 64-bit read energy interpolated over capacity") {
  CHECK(sram_read_pj_per_64b_45nm(8.0 * 1024) == approx(10.0));  // Horowitz anchor
  CHECK(sram_read_pj_per_64b_45nm(32.0 * 1024) == approx(20.0));
  CHECK(sram_read_pj_per_64b_45nm(1024.0 * 1024) == approx(100.0));
  // 16 KB is halfway (in log size) between 8 KB and 32 KB: sqrt(10 · 20) = 14.14 pJ.
  CHECK(sram_read_pj_per_64b_45nm(16.0 * 1024) == approx(std::sqrt(200.0)));
  // Beyond the anchors, CACTI's depth law: 2 MB = 100 · 2^0.78 = 171.7 pJ; 4 KB = 10 · 0.5^0.78 = 5.82 pJ.
  CHECK(sram_read_pj_per_64b_45nm(2048.0 * 1024) == approx(100.0 * std::pow(2.0, 0.78)));
  CHECK(sram_read_pj_per_64b_45nm(4.0 * 1024) == approx(10.0 * std::pow(0.5, 0.78)));
}

TEST_CASE("energy table: 45 nm defaults are the reference numbers") {
  EnergyConfig config;
  config.technology_node_nm = 45.0;
  const EnergyEventTable table = resolve_energy_table(config, one_bank(8 * kKiB), "lpddr4", 0.5);
  CHECK(table.mac_pj_of(DType::kInt8) == approx(0.2 + 0.1));  // int8 mult + int32 add
  CHECK(table.mac_pj_of(DType::kFp16) == approx(1.1 + 0.9));  // fp16 mult + fp32 add
  CHECK(table.mac_pj_of(DType::kFp32) == approx(3.7 + 0.9));
  CHECK(table.sram_read_pj_per_byte == approx(10.0 / 8));  // 10 pJ per 64 bits
  CHECK(table.sram_write_pj_per_byte == approx(10.0 / 8));
  CHECK(table.dram_pj_per_bit == 8.0 + 1.0);  // Accelergy's LPDDR4 device + 1 pJ/bit controller and PHY
  CHECK(table.vector_op_pj == approx(0.9));
  CHECK(table.noc_pj_per_flit_hop == approx(100.0));
  CHECK(table.dma_descriptor_pj == approx(50.0));
  CHECK(table.leakage_w == 0.5);
}

TEST_CASE("energy table: logic scales with the node, DRAM does not") {
  EnergyConfig at45;
  at45.technology_node_nm = 45.0;
  EnergyConfig at7;
  at7.technology_node_nm = 7.0;
  for (const char* kind : {"ddr3", "lpddr4x", "hbm2e", "gddr6"}) {
    CAPTURE(kind);
    const EnergyEventTable t45 = resolve_energy_table(at45, one_bank(2 * kMiB), kind, 0.5);
    const EnergyEventTable t7 = resolve_energy_table(at7, one_bank(2 * kMiB), kind, 0.5);
    CHECK(t7.dram_pj_per_bit == t45.dram_pj_per_bit);
    CHECK(t7.mac_pj_of(DType::kInt8) == approx(t45.mac_pj_of(DType::kInt8) * 0.094));
    CHECK(t7.vector_op_pj == approx(t45.vector_op_pj * 0.094));
    CHECK(t7.sram_read_pj_per_byte == approx(t45.sram_read_pj_per_byte * sram_energy_scale(7.0)));
  }
  // Device (Horowitz's 20-40 pJ/bit midpoint; Accelergy's HBM2) + controller and PHY.
  CHECK(resolve_energy_table(at7, one_bank(2 * kMiB), "ddr3", 0.5).dram_pj_per_bit == 30.0 + 2.0);
  CHECK(resolve_energy_table(at7, one_bank(2 * kMiB), "hbm2", 0.5).dram_pj_per_bit == 3.9 + 0.5);
}

TEST_CASE("energy table: an override replaces the derived value, unscaled") {
  EnergyConfig config;
  config.technology_node_nm = 7.0;
  config.mac_pj[DType::kInt8] = 0.05;
  config.sram_read_pj_per_byte = 0.3;
  config.dram_pj_per_bit["lpddr5"] = 4.0;
  const EnergyEventTable table = resolve_energy_table(config, one_bank(4 * kMiB), "lpddr5", 0.5);
  CHECK(table.mac_pj_of(DType::kInt8) == 0.05);
  CHECK(table.mac_pj_of(DType::kFp16) == approx(2.0 * 0.094));  // not overridden
  CHECK(table.sram_read_pj_per_byte == 0.3);
  CHECK(table.dram_pj_per_bit == 4.0);
  const json out = energy_table_to_json(table, config);
  CHECK(out.at("sources").at("mac_pj").at("int8") == "override (npu.energy)");
  CHECK(out.at("sources").at("sram_read_pj_per_byte") == "override (npu.energy)");
}

TEST_CASE("energy table: an unknown DRAM kind is an input error listing the known kinds") {
  try {
    resolve_energy_table(EnergyConfig{}, one_bank(2 * kMiB), "rambus", 0.5);
    FAIL("expected an InputError");
  } catch (const InputError& error) {
    CHECK(error.where() == "npu.dram.kind");
    CHECK(std::string(error.what()).find("'rambus' has no energy per bit; known: lpddr4, lpddr4x") !=
          std::string::npos);
  }
}

TEST_CASE("energy DRAM: per-bit energy ordered by generation, device plus controller and PHY") {
  const auto total = [](const char* kind) { return find_dram_energy(kind)->pj_per_bit(); };
  // Later parts at lower voltage never cost more per bit than the part they replace.
  CHECK(total("hbm3e") <= total("hbm3"));
  CHECK(total("hbm3") < total("hbm2e"));
  CHECK(total("hbm2e") <= total("hbm2"));
  CHECK(total("lpddr5") < total("lpddr4x"));
  CHECK(total("lpddr4x") < total("lpddr4"));
  CHECK(total("gddr6") < total("gddr5"));
  CHECK(total("ddr4") < total("ddr3"));
  // Stacked HBM on an interposer is the cheapest per bit, DDR over a board the dearest.
  CHECK(total("hbm2") < total("lpddr5"));
  CHECK(total("lpddr4") < total("ddr4"));
  // HBM3: HBM2's 3.9 pJ/bit x (1.1 / 1.2)^2 = 3.28 (rounded 3.3) + 0.5 controller and PHY.
  CHECK(find_dram_energy("hbm3")->device_pj_per_bit == doctest::Approx(3.9 * (1.1 / 1.2) * (1.1 / 1.2)).epsilon(0.01));
  for (const auto& entry : dram_energy_reference()) {
    CAPTURE(entry.kind);
    CHECK(entry.controller_phy_pj_per_bit > 0.0);
    CHECK(entry.pj_per_bit() == entry.device_pj_per_bit + entry.controller_phy_pj_per_bit);
  }
}

TEST_CASE("energy SRAM: priced per bank, not per total capacity") {
  // A 64-bit bank of 1 MB reads at the 1 MB anchor: 100 pJ / 8 B = 12.5 pJ/B (45 nm).
  CHECK(sram_bank_read_pj_per_byte_45nm(1024.0 * 1024, 8) == approx(12.5));
  // The same 1 MB bank read 64 B wide: depth 16384 words, the 64-bit energy of a 128 KB array, log-log
  // between 32 KB (20 pJ) and 1 MB (100 pJ): t = ln(4) / ln(32) = 0.4, 20 · 5^0.4 = 38.07 pJ; width law
  // 0.7 · 512/64 + 0.3 = 5.9; per byte 38.07 · 5.9 / 64 = 3.51 pJ/B.
  const double e128k = 20.0 * std::pow(5.0, std::log(4.0) / std::log(32.0));
  CHECK(sram_bank_read_pj_per_byte_45nm(1024.0 * 1024, 64) == approx(e128k * 5.9 / 64));
  // 32 MiB in 32 banks of 1 MiB costs what one 1 MiB bank costs, far below one 32 MiB block:
  // 100 · 32^0.78 / 8 = 186 pJ/B (the monolithic figure the model used to charge).
  EnergyConfig config;
  config.technology_node_nm = 45.0;
  SramConfig banked;
  banked.capacity_bytes = 32 * kMiB;
  banked.banks = 32;
  banked.bank_width_bytes = 8;
  const EnergyEventTable table = resolve_energy_table(config, banked, "hbm3", 0.0);
  CHECK(table.sram_bank_bytes == 1024.0 * 1024);
  CHECK(table.sram_read_pj_per_byte == approx(12.5));
  CHECK(resolve_energy_table(config, one_bank(32 * kMiB), "hbm3", 0.0).sram_read_pj_per_byte ==
        approx(100.0 * std::pow(32.0, 0.78) / 8));
}
