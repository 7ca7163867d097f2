// NPU energy configuration ("npu.energy"): technology node plus optional per-event overrides, and the
// REFERENCE.md §1 data the defaults are derived from (resolution lives in analysis/energy/energy_table.h).
#pragma once

#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "arch/spec/config_field_ops.h"
#include "arch/spec/dtype.h"

namespace npusim {

constexpr double kMinTechnologyNodeNm = 3.0;  // ends of the Stillmaker & Baas scaling table
constexpr double kMaxTechnologyNodeNm = 65.0;

std::vector<std::string> mac_energy_dtype_names();  // the keys of energy.mac_pj
std::vector<std::string> dram_energy_kind_names();  // the keys of energy.dram_pj_per_bit

// Every per-event field is optional: absent = derived from the reference data for the node (and, for
// SRAM, the scratchpad capacity); present = used as is, at the target node (no scaling applied).
struct EnergyConfig {
  double technology_node_nm = 7.0;
  std::map<DType, double> mac_pj;
  std::optional<double> sram_read_pj_per_byte;
  std::optional<double> sram_write_pj_per_byte;
  std::map<std::string, double> dram_pj_per_bit;
  std::optional<double> noc_pj_per_flit_hop;
  std::optional<double> vector_op_pj;
  std::optional<double> dma_descriptor_pj;
  std::optional<double> leakage_w;  // absent: modeled from die area (analysis/power)
  static constexpr auto fields();
};
constexpr auto EnergyConfig::fields() {
  using E = EnergyConfig;
  return std::array{
      field<&E::technology_node_nm>("technology_node_nm", "nm",
                                    "logic node; scales the 45 nm reference energies")
          .positive()
          .within(kMinTechnologyNodeNm, kMaxTechnologyNodeNm,
                  "the range of the Stillmaker & Baas scaling table")
          .sourced("E: iso-process with the A100 baseline"),
      field<&E::mac_pj>("mac_pj", "pJ", "one multiply-accumulate, by operand type")
          .non_negative()
          .keyed_by(mac_energy_dtype_names),
      field<&E::sram_read_pj_per_byte>("sram_read_pj_per_byte", "pJ/byte", "scratchpad read").non_negative(),
      field<&E::sram_write_pj_per_byte>("sram_write_pj_per_byte", "pJ/byte", "scratchpad write")
          .non_negative(),
      field<&E::dram_pj_per_bit>("dram_pj_per_bit", "pJ/bit", "DRAM access, by dram.kind")
          .non_negative()
          .keyed_by(dram_energy_kind_names),
      field<&E::noc_pj_per_flit_hop>("noc_pj_per_flit_hop", "pJ", "one flit over one hop").non_negative(),
      field<&E::vector_op_pj>("vector_op_pj", "pJ", "one element operation of the vector unit")
          .non_negative(),
      field<&E::dma_descriptor_pj>("dma_descriptor_pj", "pJ", "decode and issue of one DMA descriptor")
          .non_negative(),
      field<&E::leakage_w>("leakage_w", "W",
                           "idle (static) power of the whole NPU; absent = modeled per component from area, "
                           "node and voltage (npu.area, npu.power)")
          .non_negative(),
  };
}

// Reads the fields of an "energy" object (the caller passes reader.child("energy")); calls finish().
void parse_energy_config(ObjectReader reader, EnergyConfig& config);

// The node, leakage and the overrides that are set (derived values go out via the resolved table).
nlohmann::json energy_config_to_json(const EnergyConfig& config);

// ---- Reference data (REFERENCE.md §1). Tags: P primary, S secondary, D derived, E estimate. ----

struct ReferenceValue {
  double value;
  const char* source;
};

// Energy at 45 nm, 0.9 V (Horowitz, ISSCC 2014) before node scaling.
ReferenceValue mac_energy_reference_45nm(DType dtype);  // pJ per MAC (multiply + accumulate add)
ReferenceValue vector_op_energy_reference_45nm();       // pJ per element op
ReferenceValue noc_flit_hop_energy_reference_45nm();    // pJ per flit per hop
ReferenceValue dma_descriptor_energy_reference_45nm();  // pJ per descriptor

// SRAM anchors: pJ per 64-bit read at 45 nm for a macro of `bytes`; interpolated in analysis/energy.
struct SramAnchor {
  double bytes;
  double read_pj_per_64b;
  const char* source;
};
const std::vector<SramAnchor>& sram_energy_anchors_45nm();
constexpr double kSramCactiDepthExponent = 0.78;  // E ∝ (0.7·width_ratio + 0.3)·depth_ratio^0.78
ReferenceValue sram_write_to_read_ratio();

// Logic energy relative to 45 nm at the nodes Stillmaker & Baas tabulate (ascending node).
struct NodeScale {
  double node_nm;
  double factor;
};
const std::vector<NodeScale>& logic_energy_scale_table();

// DRAM energy per bit by kind; does not scale with the logic node. The device part covers the DRAM core
// and its I/O; the controller and PHY part is the NPU's side of the interface.
struct DramEnergyEntry {
  const char* kind;
  double device_pj_per_bit;
  double controller_phy_pj_per_bit;
  const char* source;
  double pj_per_bit() const { return device_pj_per_bit + controller_phy_pj_per_bit; }
};
const std::vector<DramEnergyEntry>& dram_energy_reference();
const DramEnergyEntry* find_dram_energy(const std::string& kind);
std::string known_dram_kinds();  // "lpddr4, lpddr4x, ...": for error messages

}  // namespace npusim
