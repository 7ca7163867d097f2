// The per-event energy table of one NPU: EnergyConfig overrides, else REFERENCE.md §1 data scaled to the
// technology node and (for SRAM) interpolated to the scratchpad capacity.
#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string>

#include "arch/spec/core_config.h"
#include "arch/spec/dtype.h"
#include "arch/spec/energy_config.h"
#include "arch/spec/units.h"

namespace npusim {

struct EnergyEventTable {
  double technology_node_nm = 7.0;
  std::array<double, 5> mac_pj{};  // indexed by DType
  double sram_bank_bytes = 0.0;  // the bank one access reads: capacity / banks
  double sram_read_pj_per_byte = 0.0;
  double sram_write_pj_per_byte = 0.0;
  std::string dram_kind;
  double dram_pj_per_bit = 0.0;  // device + controller and PHY
  double dram_device_pj_per_bit = 0.0;
  double dram_controller_phy_pj_per_bit = 0.0;
  double noc_pj_per_flit_hop = 0.0;
  double vector_op_pj = 0.0;
  double dma_descriptor_pj = 0.0;
  double leakage_w = 0.0;  // the NPU's idle power (analysis/power), paid over every second of the run

  double mac_pj_of(DType dtype) const { return mac_pj[static_cast<size_t>(dtype)]; }
};

// Logic energy relative to 45 nm: Stillmaker & Baas factors, log-log interpolated between the tabulated
// nodes (so 22 nm gives ~0.30 and 28 nm ~0.45, both D). Nodes outside 3..65 nm throw std::out_of_range.
double logic_energy_scale(double node_nm);
// SRAM energy relative to 45 nm: the logic factor down to 22 nm, then logic_energy_scale(22)·sqrt(node/22)
// below it (Accelergy's CACTI wrapper scales sub-22 nm SRAM by sqrt(node / 22 nm)).
double sram_energy_scale(double node_nm);
// pJ per 64-bit read at 45 nm for an SRAM of `capacity_bytes`: log-log interpolation between the anchors
// (8 KB 10 pJ, 32 KB 20 pJ, 1 MB 100 pJ); outside them the CACTI depth law E ∝ depth^0.78 (64-bit
// words, width ratio 1) extrapolates from the nearest anchor.
double sram_read_pj_per_64b_45nm(double capacity_bytes);

// pJ per byte read from one bank of `bank_bytes` accessed `width_bytes` at a time, at 45 nm: the 64-bit
// figure for the bank's depth (sram_read_pj_per_64b_45nm of depth x 8 bytes) times the CACTI width law
// (0.7·width/64 bits + 0.3), spread over the access's bytes.
double sram_bank_read_pj_per_byte_45nm(double bank_bytes, double width_bytes);

// Unknown `dram_kind` with no override: InputError at "npu.dram.kind" listing the known kinds. SRAM energy
// is priced per bank of `sram` (capacity / banks, bank_width_bytes wide); `idle_w` becomes leakage_w.
EnergyEventTable resolve_energy_table(const EnergyConfig& config, const SramConfig& sram,
                                      const std::string& dram_kind, double idle_w);

// The resolved table as written into reports, with a "sources" object naming where each default came
// from ("override" for values set in the config).
nlohmann::json energy_table_to_json(const EnergyEventTable& table, const EnergyConfig& config);

}  // namespace npusim
