// Die area, idle power and the power cap's DVFS law, against closed forms written here.
#include <doctest/doctest.h>

#include <cmath>

#include "analysis/power/area_model.h"
#include "analysis/power/dvfs.h"
#include "arch/spec/input_error.h"

using namespace npusim;

namespace {

doctest::Approx approx(double value) { return doctest::Approx(value).scale(0.0).epsilon(1e-9); }

// One core, int8 only, 7 nm, no NoC, no global SRAM, LPDDR4X: every block computable by hand.
NpuConfig small_npu() {
  NpuConfig config;
  config.cores = 1;
  config.array.rows = 16;
  config.array.cols = 16;
  config.array.dtypes = {DType::kInt8};
  config.sram.capacity_bytes = 1 * kMiB;
  config.sram.banks = 4;
  config.sram.bank_width_bytes = 16;
  config.vector.lanes = 8;
  config.dma.bytes_per_cycle = 64;
  config.dma.max_outstanding = 8;
  config.dram.kind = "lpddr4x";
  config.dram.channels = 2;
  config.energy.technology_node_nm = 7.0;
  return config;
}

}  // namespace

TEST_CASE("area: logic and SRAM macros from densities") {
  // 1e9 transistors at 100 MTr/mm2, half the peak density achieved: 1e9 / (100e6 · 0.5) = 20 mm2.
  CHECK(logic_mm2(1e9, 100.0, 0.5) == approx(20.0));
  // 1 MiB in one 8-byte-wide bank, 0.027 um2 cells, 50% array efficiency:
  // array 8388608 bits · 0.027 / 0.5 = 452984.8 um2; periphery 64 I/O bits · 64 cells · 0.027 = 110.6 um2.
  CHECK(sram_macro_mm2(1024.0 * 1024, 1, 8, 0.027, 0.5) == approx((452984.832 + 110.592) / 1e6));
  // Sixteen banks of the same total add fifteen more periphery strips and nothing else.
  CHECK(sram_macro_mm2(1024.0 * 1024, 16, 8, 0.027, 0.5) - sram_macro_mm2(1024.0 * 1024, 1, 8, 0.027, 0.5) ==
        approx(15 * 110.592 / 1e6));
}

TEST_CASE("area: a PE adds the datapaths of the types it supports at their rates, registers once") {
  // Horowitz 45 nm: int8 mult 282 + int32 add 137 um2; fp16 mult 1640 + fp32 add 4184; x 3.33 Tr/um2.
  // Registers: 80 flip-flop bits x 24 transistors = 1920.
  const double int8 = 419.0 * 3.33;
  const double fp16 = 5824.0 * 3.33;
  ArrayConfig array;
  array.dtypes = {DType::kInt8};
  CHECK(pe_transistors(array) == approx(int8 + 1920.0));
  // bf16 and fp16 share one datapath.
  array.dtypes = {DType::kBf16, DType::kInt8, DType::kFp16};
  CHECK(pe_transistors(array) == approx(int8 + fp16 + 1920.0));
  // At half the MAC rate two PEs share one fp datapath; the faster of bf16 and fp16 sizes it.
  array.macs_per_pe_cycle = {{DType::kBf16, 0.5}, {DType::kFp16, 0.25}};
  CHECK(pe_transistors(array) == approx(int8 + 0.5 * fp16 + 1920.0));
  // Two int8 MACs per PE cycle take two int8 datapaths.
  array.macs_per_pe_cycle[DType::kInt8] = 2.0;
  CHECK(pe_transistors(array) == approx(2.0 * int8 + 0.5 * fp16 + 1920.0));
}

TEST_CASE("area: node facts interpolate between tabulated nodes") {
  NpuConfig config = small_npu();
  CHECK(node_parameters(config).logic_mtr_per_mm2 == approx(91.2));
  CHECK(node_parameters(config).sram_bitcell_um2 == approx(0.027));
  // 6 nm lies between 5 nm (137.6, as built) and 7 nm (91.2): t = ln(6/5) / ln(7/5); log-log.
  config.energy.technology_node_nm = 6.0;
  const double t = std::log(6.0 / 5.0) / std::log(7.0 / 5.0);
  CHECK(node_parameters(config).logic_mtr_per_mm2 == approx(137.6 * std::pow(91.2 / 137.6, t)));
  // Voltage and idle density interpolate linearly: halfway between 0.70 and 0.75 V is 0.725 V.
  CHECK(node_parameters(config).nominal_voltage_v == approx(0.725));
  config.area.logic_mtr_per_mm2 = 50.0;  // an override wins
  CHECK(node_parameters(config).logic_mtr_per_mm2 == 50.0);
}

TEST_CASE("area and idle power of a small NPU, block by block") {
  const NpuConfig config = small_npu();
  const PowerModel model = resolve_power_model(config);
  const auto mm2_of = [&](const std::string& name) {
    for (const auto& c : model.components) {
      if (c.name == name) return c.mm2;
    }
    FAIL("no component " << name);
    return 0.0;
  };
  // 7 nm: 91.2 MTr/mm2 at 0.6 of peak = 54.72 MTr/mm2 achieved.
  const double achieved = 91.2e6 * 0.6;
  CHECK(mm2_of("mac_arrays") == approx(256 * (419.0 * 3.33 + 1920.0) / achieved));
  CHECK(mm2_of("sram") == approx(sram_macro_mm2(1024.0 * 1024, 4, 16, 0.027, 0.35)));
  CHECK(mm2_of("global_sram") == 0.0);
  CHECK(mm2_of("noc_routers") == 0.0);  // one core: no routers
  // DMA: 200k transistors + 64 B x 8 outstanding x 8 bits of flip-flops at 24 transistors each.
  CHECK(mm2_of("dma_engines") == approx((200e3 + 24.0 * 64 * 8 * 8) / achieved));
  CHECK(mm2_of("dram_phys") == approx(2 * 1.0));  // two LPDDR4X channels at 1 mm2
  CHECK(mm2_of("serdes_phys") == 0.0);
  double blocks = 0.0;
  double idle = 0.0;
  for (const auto& c : model.components) {
    if (c.name != "integration") blocks += c.mm2;
    // Idle density 0.061 W/mm2 at 7 nm, SRAM at half of it, nominal voltage: (V/V_node)^2 = 1.
    const double density = c.name == "sram" ? 0.0305 : 0.061;
    CHECK(c.idle_w == doctest::Approx(c.mm2 * density).epsilon(1e-9));
    idle += c.idle_w;
  }
  CHECK(mm2_of("integration") == approx(0.3 * blocks));
  CHECK(model.die_area_mm2 == approx(1.3 * blocks));
  CHECK(model.idle_w == approx(idle));
}

TEST_CASE("area and idle power scale with the resources and the voltage") {
  NpuConfig config = small_npu();
  const PowerModel base = resolve_power_model(config);
  config.sram.capacity_bytes *= 4;
  const PowerModel more_sram = resolve_power_model(config);
  CHECK(more_sram.die_area_mm2 > base.die_area_mm2);
  CHECK(more_sram.idle_w > base.idle_w);
  config = small_npu();
  config.array.rows *= 2;
  CHECK(resolve_power_model(config).idle_w > base.idle_w);
  // Idle power ~ V^2: 0.9 of the node's 0.75 V gives 0.81 of the idle power.
  config = small_npu();
  config.power.voltage_v = 0.675;
  CHECK(resolve_power_model(config).idle_w == approx(0.81 * base.idle_w));
  config.energy.leakage_w = 3.0;  // an override replaces the modeled total
  CHECK(resolve_power_model(config).idle_w == 3.0);
}

TEST_CASE("power: a TDP at or below the idle power is an input error at npu.power.tdp_w") {
  NpuConfig config = small_npu();
  const double idle = resolve_power_model(config).idle_w;
  config.power.tdp_w = idle;
  CHECK_THROWS_WITH_AS(resolve_power_model(config), doctest::Contains("npu.power.tdp_w"), InputError);
  config.power.tdp_w = idle * 1.01;
  CHECK_NOTHROW(resolve_power_model(config));
}

TEST_CASE("DVFS law: V linear in f, dynamic power ~ f V^2, idle ~ V^2, DRAM ~ f") {
  const DvfsLaw law{1000.0, 1.0, 0.5, 0.7};
  CHECK(dvfs_voltage_v(law, 1000.0) == approx(1.0));
  CHECK(dvfs_voltage_v(law, 500.0) == approx(0.7));
  CHECK(dvfs_voltage_v(law, 750.0) == approx(0.85));
  // At 750 MHz: V = 0.85, f = 0.75: 100 · 0.75 · 0.7225 + 20 · 0.75 + 10 · 0.7225 = 76.4125 W.
  const PowerSplit split{100.0, 20.0, 10.0};
  CHECK(dvfs_power_w(law, split, 750.0) == approx(76.4125));
  const CappedPoint capped = dvfs_capped_point(law, split, 76.4125);
  CHECK(capped.clock_mhz == doctest::Approx(750.0).epsilon(1e-6));
  CHECK(capped.average_power_w <= 76.4125);
  CHECK(capped.cap_met);
  // Under the cap already: the nominal point.
  CHECK(dvfs_capped_point(law, split, 130.0).clock_mhz == 1000.0);
  // At 500 MHz: 100 · 0.5 · 0.49 + 20 · 0.5 + 10 · 0.49 = 39.4 W: a 30 W cap cannot be met.
  const CappedPoint unreachable = dvfs_capped_point(law, split, 30.0);
  CHECK_FALSE(unreachable.cap_met);
  CHECK(unreachable.clock_mhz == 500.0);
  CHECK(unreachable.average_power_w == approx(39.4));
}

TEST_CASE("DVFS law at constant voltage: power linear in f, so f = f0 · cap / P0") {
  const DvfsLaw flat{1000.0, 0.8, 0.25, 1.0};
  const PowerSplit split{80.0, 20.0, 0.0};
  CHECK(dvfs_capped_point(flat, split, 50.0).clock_mhz == doctest::Approx(500.0).epsilon(1e-6));
}

TEST_CASE("energy table at a lower voltage: core events and idle by (V/V0)^2, DRAM unchanged") {
  EnergyEventTable table;
  table.mac_pj = {1.0, 2.0, 2.0, 4.0};
  table.sram_read_pj_per_byte = 1.0;
  table.dram_pj_per_bit = 5.0;
  table.leakage_w = 10.0;
  const EnergyEventTable scaled = energy_table_at_voltage(table, 0.8);
  CHECK(scaled.mac_pj_of(DType::kFp32) == approx(4.0 * 0.64));
  CHECK(scaled.sram_read_pj_per_byte == approx(0.64));
  CHECK(scaled.leakage_w == approx(6.4));
  CHECK(scaled.dram_pj_per_bit == 5.0);
}
