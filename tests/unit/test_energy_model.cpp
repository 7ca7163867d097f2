// NPU energy = events × table + leakage × time, every joule in one component; peak windowed power.
#include <doctest/doctest.h>

#include "analysis/energy/npu_energy.h"
#include "tests/support/relative_approx.h"
#include "tests/unit/energy_fixtures.h"

using namespace npusim;
using namespace npusim_test;

namespace {

// 45 nm, an 8 KB scratchpad in one 64-bit bank and LPDDR4: the table is REFERENCE.md §1's numbers unscaled.
EnergyEventTable reference_table() {
  EnergyConfig config;
  config.technology_node_nm = 45.0;
  return resolve_energy_table(config, one_bank(8 * kKiB), "lpddr4", 0.5);
}

}  // namespace

TEST_CASE("energy of a GEMM layer equals its counted events times the table") {
  // A 16x16x16 int8 GEMM: 4096 MACs; SRAM reads 512 B (A and B) + 512 B (operand re-reads) = 1024 B,
  // writes 1024 B (256 int32 outputs); DRAM reads 512 B, writes 256 B; 256 vector ops (requantize);
  // 3 DMA descriptors; 1 us long.
  LayerStats stats;
  stats.macs = 4096;
  stats.sram_read_bytes = 1024;
  stats.sram_write_bytes = 1024;
  stats.dram_read_bytes = 512;
  stats.dram_write_bytes = 256;
  stats.vector_ops = 256;
  stats.dma_transfers = 3;
  const EnergyBreakdown energy = npu_layer_energy(stats, DType::kInt8, reference_table(), 1e-6);

  CHECK(energy.mac_j == approx(4096 * 0.3e-12));             // 1228.8 pJ
  CHECK(energy.sram_j == approx((1024 + 1024) * 1.25e-12));  // 10 pJ / 8 B = 1.25 pJ/B: 2560 pJ
  CHECK(energy.dram_j == approx((512 + 256) * 8 * 9e-12));   // 8 pJ/bit device + 1 controller/PHY: 55296 pJ
  CHECK(energy.vector_j == approx(256 * 0.9e-12));           // 230.4 pJ
  CHECK(energy.dma_j == approx(3 * 50e-12));                 // 150 pJ
  CHECK(energy.noc_j == 0.0);                                // no NoC counter yet
  CHECK(energy.leakage_j == approx(0.5 * 1e-6));             // 0.5 W x 1 us = 500000 pJ
  const double expected_pj = 1228.8 + 2560 + 55296 + 230.4 + 150 + 500000;
  CHECK(energy.total_j == approx(expected_pj * 1e-12));
  CHECK(energy.total_j == energy.mac_j + energy.sram_j + energy.dram_j + energy.vector_j + energy.noc_j +
                              energy.dma_j + energy.leakage_j);
}

TEST_CASE("energy: the MAC dtype selects the MAC energy; NoC hops are priced when counted") {
  EnergyEvents events;
  events.macs = 1000;
  events.noc_flit_hops = 10;
  const EnergyEventTable table = reference_table();
  CHECK(event_energy(events, DType::kFp16, table, 0.0).mac_j == approx(1000 * 2.0e-12));
  CHECK(event_energy(events, DType::kFp32, table, 0.0).mac_j == approx(1000 * 4.6e-12));
  CHECK(event_energy(events, DType::kInt8, table, 0.0).noc_j == approx(10 * 100e-12));
}

TEST_CASE("energy breakdowns add component by component") {
  LayerStats a;
  a.macs = 100;
  a.dram_read_bytes = 10;
  LayerStats b;
  b.sram_write_bytes = 40;
  b.dma_transfers = 2;
  const EnergyEventTable table = reference_table();
  EnergyBreakdown sum = npu_layer_energy(a, DType::kInt8, table, 1e-9);
  sum += npu_layer_energy(b, DType::kInt8, table, 2e-9);
  CHECK(sum.mac_j == approx(100 * 0.3e-12));
  CHECK(sum.dram_j == approx(10 * 8 * 9e-12));  // LPDDR4 8 pJ/bit device + 1 controller and PHY
  CHECK(sum.sram_j == approx(40 * 1.25e-12));
  CHECK(sum.dma_j == approx(2 * 50e-12));
  CHECK(sum.leakage_j == approx(0.5 * 3e-9));
  CHECK(sum.total_j == approx(sum.mac_j + sum.dram_j + sum.sram_j + sum.dma_j + sum.leakage_j));
  CHECK(energy_breakdown_to_json(sum).at("total_j") == sum.total_j);
}

TEST_CASE("energy peak power: highest average over a sliding window") {
  // 1 GHz: 1 cycle = 1 ns. Three 100-cycle layers at 1 W, 3 W, 1 W (100 nJ, 300 nJ, 100 nJ).
  const std::vector<EnergySpan> spans{{100, 1e-7}, {100, 3e-7}, {100, 1e-7}};
  CHECK(peak_window_power_w(spans, 100, 1000.0) == approx(3.0));
  // 150 cycles: all of the 3 W layer + 50 cycles at 1 W = 350 nJ / 150 ns.
  CHECK(peak_window_power_w(spans, 150, 1000.0) == approx(3.5e-7 / 150e-9));
  // 200 cycles: 300 nJ + 100 nJ wherever it sits = 2 W.
  CHECK(peak_window_power_w(spans, 200, 1000.0) == approx(2.0));
  // The whole run or longer: 500 nJ / 300 ns.
  CHECK(peak_window_power_w(spans, 300, 1000.0) == approx(5e-7 / 300e-9));
  CHECK(peak_window_power_w(spans, 1000, 1000.0) == approx(5e-7 / 300e-9));
  // A short hot layer: 10 cycles at 5 W then 90 at 1 W; a 20-cycle window holds 50 + 10 nJ = 3 W.
  CHECK(peak_window_power_w({{10, 5e-8}, {90, 9e-8}}, 20, 1000.0) == approx(3.0));
  // The hot layer in the middle: 40 at 1 W, 10 at 5 W, 50 at 1 W; a 20-cycle window = 3 W again.
  CHECK(peak_window_power_w({{40, 4e-8}, {10, 5e-8}, {50, 5e-8}}, 20, 1000.0) == approx(3.0));
  // A 0-cycle span is an impulse counted by every window touching it: 100 nJ + 50 cycles at 1 W.
  CHECK(peak_window_power_w({{100, 1e-7}, {0, 1e-7}, {100, 1e-7}}, 50, 1000.0) == approx(1.5e-7 / 50e-9));
  CHECK(peak_window_power_w({}, 10, 1000.0) == 0.0);
  CHECK_THROWS_AS(peak_window_power_w(spans, 0, 1000.0), std::invalid_argument);
}
