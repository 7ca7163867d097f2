// NPU energy configuration ("npu.energy"): technology node plus optional per-event overrides, and the
// REFERENCE.md §1 data the defaults are derived from (resolution lives in analysis/energy/energy_table.h).
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "arch/spec/dtype.h"

namespace npusim {

class ObjectReader;

constexpr double kMinTechnologyNodeNm = 3.0;  // ends of the Stillmaker & Baas scaling table
constexpr double kMaxTechnologyNodeNm = 65.0;

// Every energy field is optional: absent = derived from the reference data for the node (and, for
// SRAM, the scratchpad capacity); present = used as is, at the target node (no scaling applied).
struct EnergyConfig {
  double technology_node_nm = 7.0;  // E: iso-process with the A100 baseline (7 nm)
  std::map<DType, double> mac_pj;   // one multiply-accumulate of that operand type
  std::optional<double> sram_read_pj_per_byte;
  std::optional<double> sram_write_pj_per_byte;
  std::map<std::string, double> dram_pj_per_bit;  // keyed by DRAM kind (see dram_energy_reference)
  std::optional<double> noc_pj_per_flit_hop;
  std::optional<double> vector_op_pj;       // one element operation of the vector unit
  std::optional<double> dma_descriptor_pj;  // decode and issue of one DMA descriptor
  double leakage_w = 0.5;                   // E: static power of the whole NPU; set it per preset
};

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

// DRAM energy per bit by kind; does not scale with the logic node.
struct DramEnergyEntry {
  const char* kind;
  double pj_per_bit;
  const char* source;
};
const std::vector<DramEnergyEntry>& dram_energy_reference();
const DramEnergyEntry* find_dram_energy(const std::string& kind);
std::string known_dram_kinds();  // "lpddr4, lpddr4x, ...": for error messages

}  // namespace npusim
