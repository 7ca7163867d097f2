#include "arch/spec/area_reference.h"

namespace npusim {
namespace {

// Horowitz (ISSCC 2014) 45 nm areas in µm² (S: his area table as reproduced by Dally et al.), turned into
// transistor equivalents at Intel 45 nm's 3.33 MTr/mm² (S), i.e. 3.33 transistors per µm².
constexpr double kTransistorsPerUm2At45nm = 3.33;
constexpr double kFlopTransistorsPerBit = 24.0;  // E: a scan flip-flop with clock buffering

}  // namespace

const std::vector<NodeFacts>& node_facts_table() {
  static const std::vector<NodeFacts> kTable{
      {3.0, 215.0, 0.021, 0.70, 0.107,
       "S: N3E logic at most ~215 MTr/mm2 as built (Angstronomics 2022; TSMC's 1.6x claim over N5 applied to "
       "the measured N5 density); S: N3E bit cell 0.021 um2 (no shrink); E: 0.70 V; E: idle density held at 5 nm"},
      {5.0, 137.6, 0.021, 0.70, 0.107,
       "S: TSMC N5 137.6 MTr/mm2 as built, from the cell height (210 nm) and gate pitch (51 nm) measured on "
       "Apple A15 (Angstronomics 2022); the 171.3 often quoted is TSMC's 1.8x claim over N7, never measured; "
       "P: 0.021 um2 bit cell (TSMC IEDM 2019); E: 0.70 V; D: H100 idle 12.5% of 700 W (REFERENCE 3.3, E) "
       "over 814 mm2 (S)"},
      {7.0, 91.2, 0.027, 0.75, 0.061,
       "S: TSMC N7 91.2 MTr/mm2 (WikiChip); P: 0.027 um2 (TSMC IEDM 2016); E: 0.75 V; D: A100 idle 12.5% "
       "of 400 W (REFERENCE 3.3, E) over 826 mm2 (S)"},
      {10.0, 52.5, 0.042, 0.75, 0.061, "S: TSMC N10 52.5 MTr/mm2, 0.042 um2 (WikiChip); E: V and idle as 7 nm"},
      {14.0, 32.5, 0.064, 0.80, 0.070,
       "S: Samsung 14LPP 32.5 MTr/mm2, 0.064 um2 (WikiChip); E: 0.80 V; E: idle between 7 and 28 nm"},
      {16.0, 28.9, 0.074, 0.80, 0.070,
       "S: TSMC 16FF+ 28.9 MTr/mm2, 0.074 um2 (WikiChip); E: 0.80 V; E: idle between 7 and 28 nm"},
      {28.0, 9.0, 0.127, 0.90, 0.085,
       "D: logic log-log between 45 and 16 nm; S: 0.127 um2 HD cell (TSMC 28 nm); E: 0.90 V; D: TPU v1 "
       "~28 W idle (REFERENCE 3.3, S) over its <= 331 mm2 die (Jouppi ISCA 2017, P)"},
      {45.0, 3.33, 0.346, 0.90, 0.085,
       "S: Intel 45 nm 3.33 MTr/mm2 (WikiChip); P: 0.346 um2 (Intel IEDM 2007); P: 0.9 V (Horowitz 2014); E: "
       "idle held at 28 nm"},
      {65.0, 1.6, 0.57, 1.0, 0.085,
       "D: 45 nm x (45/65)^2; P: 0.57 um2 (Intel IEDM 2004); E: 1.0 V; E: idle held at 28 nm"},
  };
  return kTable;
}

ReferenceCount pe_datapath_transistors(DType dtype) {
  switch (dtype) {
    case DType::kInt8:
      return {(282.0 + 137.0) * kTransistorsPerUm2At45nm,
              "D: Horowitz 45 nm areas, int8 multiplier 282 um2 + int32 adder 137 um2, x 3.33 Tr/um2"};
    case DType::kFp16:
    case DType::kBf16:
      return {(1640.0 + 4184.0) * kTransistorsPerUm2At45nm,
              "D: Horowitz 45 nm areas, fp16 multiplier 1640 um2 + fp32 adder 4184 um2, x 3.33 Tr/um2 (bf16 "
              "shares the fp16 datapath)"};
    case DType::kFp8:
      return {(282.0 + 4184.0) * kTransistorsPerUm2At45nm,
              "E: an E4M3 product is a 4-bit mantissa multiply and an exponent add, about the int8 multiplier's "
              "282 um2; it accumulates in fp32 (adder 4184 um2, Horowitz 45 nm), x 3.33 Tr/um2"};
    case DType::kFp32:
      return {(7700.0 + 4184.0) * kTransistorsPerUm2At45nm,
              "D: Horowitz 45 nm areas, fp32 multiplier 7700 um2 + fp32 adder 4184 um2, x 3.33 Tr/um2"};
  }
  return {0.0, ""};
}

ReferenceCount pe_register_transistors() {
  return {80.0 * kFlopTransistorsPerBit,
          "E: 80 flip-flop bits (two 16-bit weight registers, a 16-bit operand, a 32-bit partial sum) x 24 Tr"};
}

ReferenceCount vector_lane_transistors() {
  return {(4184.0 + 7700.0) * kTransistorsPerUm2At45nm + 96.0 * kFlopTransistorsPerBit,
          "D: Horowitz fp32 adder + multiplier areas x 3.33 Tr/um2, plus three 32-bit pipeline registers"};
}

ReferenceCount dma_engine_transistors() {
  return {200e3, "E: descriptor queue, address generators and control, ~50k gates"};
}

ReferenceCount noc_router_transistors_per_flit_bit() {
  return {5.0 * 4.0 * kFlopTransistorsPerBit + 5.0 * 5.0 * 4.0,
          "E: 5 ports x 4-flit input buffers of flip-flops (24 Tr/bit) plus a 5x5 crossbar (4 Tr per "
          "crosspoint bit); links run over the cores in upper metal and take no area of their own"};
}

const DramPhyArea* find_dram_phy_area(const std::string& kind) {
  static const std::vector<DramPhyArea> kTable{
      {"lpddr4", 1.0, "E: ~1 mm2 per x16 LPDDR channel PHY"},
      {"lpddr4x", 1.0, "E: as LPDDR4"},
      {"lpddr5", 1.0, "E: as LPDDR4"},
      {"ddr3", 4.0, "E: ~4 mm2 per 64-bit DDR channel PHY"},
      {"ddr4", 4.0, "E: as DDR3"},
      {"gddr5", 2.0, "E: ~2 mm2 per x16 GDDR channel PHY"},
      {"gddr6", 2.0, "E: as GDDR5"},
      {"hbm2", 1.5, "E: ~12 mm2 per 1024-bit stack PHY over its 8 channels"},
      {"hbm2e", 1.5, "E: as HBM2"},
      {"hbm3", 0.75, "E: ~12 mm2 per 1024-bit stack PHY over its 16 channels"},
      {"hbm3e", 0.75, "E: as HBM3"},
      {"hmc", 2.0, "E: ~2 mm2 per SerDes link"},
  };
  for (const auto& entry : kTable) {
    if (kind == entry.kind) return &entry;
  }
  return nullptr;
}

ReferenceCount serdes_link_mm2() { return {6.0, "E: 16 lanes x ~0.4 mm2 (PCIe Gen4/5-class SerDes)"}; }

ReferenceCount sram_idle_density_fraction() {
  return {0.5, "E: high-Vt bit cells leak about half of logic per mm2"};
}

ReferenceCount sram_bank_periphery_cells_per_io_bit() {
  return {64.0, "E: sense amp, write driver and column mux strip ~64 bit cells per I/O bit (CACTI-like)"};
}

}  // namespace npusim
