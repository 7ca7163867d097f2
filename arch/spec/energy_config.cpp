#include "arch/spec/energy_config.h"

#include <array>
#include <sstream>
#include <string>

#include "arch/spec/json_reader.h"

namespace npusim {
namespace {

constexpr std::array<DType, 4> kMacDtypes{DType::kInt8, DType::kFp16, DType::kBf16, DType::kFp32};

// Marks `key` as read; a present value must be a non-negative number and becomes the override.
void read_energy(ObjectReader& reader, const char* key, std::optional<double>& out) {
  const bool present = reader.has(key);
  double value = out.value_or(0.0);
  reader.read_non_negative(key, value);
  if (present) out = value;
}

std::string format_number(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

void parse_energy_config(ObjectReader reader, EnergyConfig& config) {
  reader.read_positive("technology_node_nm", config.technology_node_nm);
  if (config.technology_node_nm < kMinTechnologyNodeNm || config.technology_node_nm > kMaxTechnologyNodeNm) {
    reader.fail("technology_node_nm",
                "expected 3 to 65 nm (the range of the Stillmaker & Baas scaling table), got " +
                    format_number(config.technology_node_nm));
  }
  {
    ObjectReader macs = reader.child("mac_pj");
    for (DType dtype : kMacDtypes) {
      const std::string name(dtype_name(dtype));
      if (!macs.has(name.c_str())) continue;
      double value = 0.0;
      macs.read_non_negative(name.c_str(), value);
      config.mac_pj[dtype] = value;
    }
    macs.finish();
  }
  read_energy(reader, "sram_read_pj_per_byte", config.sram_read_pj_per_byte);
  read_energy(reader, "sram_write_pj_per_byte", config.sram_write_pj_per_byte);
  {
    ObjectReader dram = reader.child("dram_pj_per_bit");
    for (const auto& entry : dram_energy_reference()) {
      if (!dram.has(entry.kind)) continue;
      double value = 0.0;
      dram.read_non_negative(entry.kind, value);
      config.dram_pj_per_bit[entry.kind] = value;
    }
    dram.finish();
  }
  read_energy(reader, "noc_pj_per_flit_hop", config.noc_pj_per_flit_hop);
  read_energy(reader, "vector_op_pj", config.vector_op_pj);
  read_energy(reader, "dma_descriptor_pj", config.dma_descriptor_pj);
  reader.read_non_negative("leakage_w", config.leakage_w);
  reader.finish();
}

nlohmann::json energy_config_to_json(const EnergyConfig& config) {
  nlohmann::json out = {{"technology_node_nm", config.technology_node_nm}, {"leakage_w", config.leakage_w}};
  if (!config.mac_pj.empty()) {
    nlohmann::json macs = nlohmann::json::object();
    for (const auto& [dtype, value] : config.mac_pj) macs[std::string(dtype_name(dtype))] = value;
    out["mac_pj"] = macs;
  }
  if (!config.dram_pj_per_bit.empty()) out["dram_pj_per_bit"] = config.dram_pj_per_bit;
  const auto put = [&out](const char* key, const std::optional<double>& value) {
    if (value) out[key] = *value;
  };
  put("sram_read_pj_per_byte", config.sram_read_pj_per_byte);
  put("sram_write_pj_per_byte", config.sram_write_pj_per_byte);
  put("noc_pj_per_flit_hop", config.noc_pj_per_flit_hop);
  put("vector_op_pj", config.vector_op_pj);
  put("dma_descriptor_pj", config.dma_descriptor_pj);
  return out;
}

// ---- Reference data: every default the energy model uses, with its source (REFERENCE.md §1). ----

ReferenceValue mac_energy_reference_45nm(DType dtype) {
  switch (dtype) {
    case DType::kInt8:
      return {0.3,
              "D: Horowitz 2014 int8 mult 0.2 pJ + int32 accumulate add 0.1 pJ (Accelergy Simba-like "
              "45 nm int8 MAC 0.32 pJ, P, agrees)"};
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

const std::vector<DramEnergyEntry>& dram_energy_reference() {
  static const std::vector<DramEnergyEntry> kTable{
      {"lpddr4", 8.0, "P: Accelergy DRAM table"},
      {"lpddr4x", 6.0, "E: LPDDR4 with its I/O at 0.6 V instead of 1.1 V; no REFERENCE figure"},
      {"lpddr5", 5.0, "E: below LPDDR4X (lower core voltage, DVFS); no REFERENCE figure"},
      {"ddr3", 70.0, "P: Accelergy DRAM table"},
      {"ddr4", 45.0, "E: DDR3's 70 pJ scaled by VDD^2 (1.2 V / 1.5 V)^2"},
      {"gddr5", 14.0, "P: Accelergy DRAM table"},
      {"gddr6", 7.5, "S: low confidence (REFERENCE.md §1)"},
      {"hbm2", 3.9, "P: Accelergy DRAM table"},
      {"hbm2e", 6.0, "S: ~6 pJ/bit device energy, low confidence (REFERENCE.md §1)"},
      {"hbm3", 5.0, "E: HBM2E's 6 pJ scaled by VDD^2 (1.1 V / 1.2 V)^2"},
      {"hbm3e", 5.0, "E: taken equal to HBM3"},
      {"hmc", 4.2, "P: Accelergy DRAM table"},
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
