#include "arch/spec/energy_config.h"

#include <array>
#include <string>
#include <utility>

#include "arch/spec/json_reader.h"

namespace npusim {
namespace {

constexpr std::array<DType, 5> kMacDtypes{DType::kInt8, DType::kFp8, DType::kFp16, DType::kBf16, DType::kFp32};

}  // namespace

std::vector<std::string> mac_energy_dtype_names() {
  std::vector<std::string> names;
  for (DType dtype : kMacDtypes) names.emplace_back(dtype_name(dtype));
  return names;
}

std::vector<std::string> dram_energy_kind_names() {
  std::vector<std::string> names;
  for (const auto& entry : dram_energy_reference()) names.emplace_back(entry.kind);
  return names;
}

void parse_energy_config(ObjectReader reader, EnergyConfig& config) {
  read_object(std::move(reader), config);
}

nlohmann::json energy_config_to_json(const EnergyConfig& config) { return fields_to_json(config); }

// ---- Reference data: every default the energy model uses, with its source (REFERENCE.md §1). ----

ReferenceValue mac_energy_reference_45nm(DType dtype) {
  switch (dtype) {
    case DType::kInt8:
      return {0.3,
              "D: Horowitz 2014 int8 mult 0.2 pJ + int32 accumulate add 0.1 pJ (Accelergy Simba-like "
              "45 nm int8 MAC 0.32 pJ, P, agrees)"};
    case DType::kFp8:
      return {0.6,
              "E: no fp8 figure; an E4M3 multiplier (4-bit significands) costs about an int8 one "
              "(0.2 pJ), plus an fp16-class accumulate add (0.4 pJ, Horowitz 2014), as fp8 tensor "
              "cores accumulate at reduced precision"};
    case DType::kFp16:
      return {2.0, "D: Horowitz 2014 fp16 mult 1.1 pJ + fp32 accumulate add 0.9 pJ"};
    case DType::kBf16:
      return {2.0,
              "E: no bf16 figure; taken equal to fp16 (its 8-bit-mantissa multiplier is smaller, so an "
              "upper bound)"};
    case DType::kFp32:
      return {4.6, "D: Horowitz 2014 fp32 mult 3.7 pJ + fp32 add 0.9 pJ"};
  }
  return {4.6, "D: fp32"};
}

ReferenceValue vector_op_energy_reference_45nm() {
  return {0.9, "E: one fp32 add per element (Horowitz 2014 0.9 pJ); operand register traffic not included"};
}

ReferenceValue noc_flit_hop_energy_reference_45nm() {
  return {100.0,
          "E: no REFERENCE figure; a 64-byte flit over a ~1 mm link plus a router, order of "
          "magnitude"};
}

ReferenceValue dma_descriptor_energy_reference_45nm() {
  return {50.0,
          "E: fetch and decode of a ~32-byte descriptor, about four 64-bit reads of an 8 KB array "
          "(10 pJ each, Horowitz 2014) plus control logic"};
}

const std::vector<SramAnchor>& sram_energy_anchors_45nm() {
  static const std::vector<SramAnchor> kAnchors{
      {8.0 * 1024, 10.0, "P: Horowitz 2014, 64-bit read of an 8 KB array"},
      {32.0 * 1024, 20.0, "S: widely quoted ~20 pJ per 64-bit read of a 32 KB array"},
      {1024.0 * 1024, 100.0, "S: widely quoted ~100 pJ per 64-bit read of a 1 MB array"},
  };
  return kAnchors;
}

ReferenceValue sram_write_to_read_ratio() {
  return {1.0,
          "E: Accelergy's 128 KB buffer writes at 0.78x its read energy (65 nm), its 64 KB buffer at "
          "1.27x (45 nm); taken as 1"};
}

const std::vector<NodeScale>& logic_energy_scale_table() {
  // Stillmaker & Baas 2017 as used by Accelergy (REFERENCE.md §1).
  static const std::vector<NodeScale> kTable{{3.0, 0.062},  {5.0, 0.080},  {7.0, 0.094}, {10.0, 0.118},
                                             {14.0, 0.139}, {16.0, 0.174}, {45.0, 1.0},  {65.0, 1.24}};
  return kTable;
}

// Ordered by what each generation changed: lower I/O or core voltage never costs more per bit. The NPU
// side (controller and PHY) is E: ~0.5 pJ/bit for a short-reach 2.5D HBM interface, 1 for LPDDR, 1.5 for
// GDDR and HMC SerDes, 2 for DDR's long board traces.
const std::vector<DramEnergyEntry>& dram_energy_reference() {
  static const std::vector<DramEnergyEntry> kTable{
      {"lpddr4", 8.0, 1.0, "P: Accelergy DRAM table, 8 pJ/bit"},
      {"lpddr4x", 6.0, 1.0, "E: LPDDR4 with its I/O at 0.6 V instead of 1.1 V"},
      {"lpddr5", 5.0, 1.0, "E: below LPDDR4X (lower core voltage, DVFS)"},
      {"ddr3", 30.0, 2.0,
       "P: Horowitz 2014, 1.3-2.6 nJ per 64-bit access = 20-40 pJ/bit, midpoint (Accelergy's 70 pJ/bit, P, "
       "is the high end)"},
      {"ddr4", 19.2, 2.0, "D: DDR3's 30 pJ/bit x (1.2 V / 1.5 V)^2"},
      {"gddr5", 14.0, 1.5, "P: Accelergy DRAM table"},
      {"gddr6", 7.5, 1.5, "S: low confidence (REFERENCE.md 1)"},
      {"hbm2", 3.9, 0.5, "P: Accelergy DRAM table"},
      {"hbm2e", 3.9, 0.5,
       "E: HBM2's 3.9 pJ/bit (same 1.2 V core and I/O); REFERENCE's ~6 pJ/bit (S, low confidence) is not "
       "used: it would price a later part at the same voltage above HBM2"},
      {"hbm3", 3.3, 0.5, "D: HBM2's 3.9 pJ/bit x (1.1 V / 1.2 V)^2 = 3.28"},
      {"hbm3e", 3.3, 0.5, "E: HBM3's voltages, taken equal to HBM3"},
      {"hmc", 4.2, 1.5, "P: Accelergy DRAM table"},
  };
  return kTable;
}

const DramEnergyEntry* find_dram_energy(const std::string& kind) {
  for (const auto& entry : dram_energy_reference()) {
    if (kind == entry.kind) return &entry;
  }
  return nullptr;
}

std::string known_dram_kinds() {
  std::string out;
  for (const auto& entry : dram_energy_reference()) {
    if (!out.empty()) out += ", ";
    out += entry.kind;
  }
  return out;
}

}  // namespace npusim
