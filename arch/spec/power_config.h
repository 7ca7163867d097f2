// Die area ("npu.area") and power envelope ("npu.power") configuration: the published figures a preset
// is held against, the estimates the area and idle-power models take, and the opt-in power cap with its
// DVFS law. Reference densities per node live in area_reference.h; the models in analysis/power/.
#pragma once

#include <array>
#include <cstdint>
#include <optional>

#include "arch/spec/config_field_ops.h"

namespace npusim {

struct AreaConfig {
  std::optional<double> published_die_mm2;  // absent: no published figure to compare with
  uint32_t chip_to_chip_links = 0;           // x16 SerDes links: host PCIe and chip-to-chip
  std::optional<double> logic_mtr_per_mm2;   // absent: the node's table value
  std::optional<double> sram_bitcell_um2;    // absent: the node's table value
  double logic_density_fraction = 0.6;
  double sram_array_efficiency = 0.35;
  double integration_overhead = 0.3;
  static constexpr auto fields();
};
constexpr auto AreaConfig::fields() {
  using A = AreaConfig;
  return std::array{
      field<&A::published_die_mm2>("published_die_mm2", "mm2",
                                   "published die area; the report shows modeled vs published")
          .positive(),
      field<&A::chip_to_chip_links>("chip_to_chip_links", "",
                                    "x16 SerDes links on the die (host PCIe and chip-to-chip), PHY area each"),
      field<&A::logic_mtr_per_mm2>("logic_mtr_per_mm2", "MTr/mm2",
                                   "peak logic density; absent = the node's published figure")
          .positive(),
      field<&A::sram_bitcell_um2>("sram_bitcell_um2", "um2",
                                  "SRAM bit-cell area; absent = the node's published high-density cell")
          .positive(),
      field<&A::logic_density_fraction>("logic_density_fraction", "",
                                        "achieved fraction of the peak logic density in placed blocks")
          .positive()
          .within(0.0, 1.0, "a fraction of the peak density")
          .sourced("D: A100 54.2 BTr / 826 mm2 = 0.72 of N7's 91.2, H100 80 BTr / 814 mm2 = 0.71 of N5's "
                   "137.6 as built (NVIDIA whitepapers, S); E: 0.6, as those chip averages include SRAM, "
                   "denser than logic"),
      field<&A::sram_array_efficiency>("sram_array_efficiency", "",
                                       "bit-cell area / macro area of a large bank (periphery, redundancy)")
          .positive()
          .within(0.0, 1.0, "a fraction of the macro area")
          .sourced("E: product SRAM with ECC, redundancy and routing ~0.25-0.4 of bit-cell density "
                   "(IEDM test macros ~0.65)"),
      field<&A::integration_overhead>("integration_overhead", "",
                                      "top-level wiring, clocking, pads, test and white space, as a "
                                      "fraction of the blocks' sum")
          .non_negative()
          .sourced("E: 0.3"),
  };
}

struct PowerConfig {
  std::optional<double> tdp_w;            // absent: no TDP stated; reports say so
  std::optional<double> cap_w;            // absent: no cap, the clock stays at clock_mhz
  std::optional<double> voltage_v;        // absent: the node's nominal core voltage
  std::optional<double> idle_w_per_mm2;   // absent: the node's table value
  double dvfs_min_clock_fraction = 0.5;
  double dvfs_min_voltage_fraction = 0.7;
  static constexpr auto fields();
};
constexpr auto PowerConfig::fields() {
  using P = PowerConfig;
  return std::array{
      field<&P::tdp_w>("tdp_w", "W", "thermal design power; reports hold average and peak power against it")
          .positive(),
      field<&P::cap_w>("cap_w", "W",
                       "opt-in power cap: the clock is lowered along the DVFS law until the run's average "
                       "power fits")
          .positive(),
      field<&P::voltage_v>("voltage_v", "V",
                           "core voltage at clock_mhz; scales dynamic energy and idle power by (V/V_node)^2")
          .positive(),
      field<&P::idle_w_per_mm2>("idle_w_per_mm2", "W/mm2",
                                "idle (leakage and always-on) power density of logic at the node's voltage")
          .non_negative(),
      field<&P::dvfs_min_clock_fraction>("dvfs_min_clock_fraction", "",
                                         "lowest clock the cap may set, as a fraction of clock_mhz")
          .positive()
          .within(0.0, 1.0, "a fraction of clock_mhz")
          .sourced("E: 0.5"),
      field<&P::dvfs_min_voltage_fraction>("dvfs_min_voltage_fraction", "",
                                           "voltage at the lowest clock, as a fraction of voltage_v "
                                           "(V is linear in f between)")
          .positive()
          .within(0.0, 1.0, "a fraction of voltage_v")
          .sourced("E: 0.7"),
  };
}

}  // namespace npusim
