// Die area and idle power per component, from the NPU's shape and per-node densities (area_reference.h):
// logic = transistors / (peak density · achieved fraction); SRAM = bits · bit cell / array efficiency plus a
// fixed periphery per bank; PHYs by count. Idle power = area · idle density at the node, · (V / V_node)².
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "arch/spec/area_reference.h"
#include "arch/spec/npu_config.h"

namespace npusim {

// The node's facts, interpolated between the tabulated nodes (log-log for densities and cell area,
// linear for voltage and idle density); npu.area / npu.power overrides applied. Throws InputError at
// npu.energy.technology_node_nm for a node outside the table.
struct NodeParameters {
  double node_nm = 7.0;
  double logic_mtr_per_mm2 = 0.0;
  double sram_bitcell_um2 = 0.0;
  double nominal_voltage_v = 0.0;
  double idle_w_per_mm2 = 0.0;
};
NodeParameters node_parameters(const NpuConfig& config);

// mm² of one SRAM of `capacity_bytes` in `banks` banks of `bank_width_bytes` access width.
double sram_macro_mm2(double capacity_bytes, uint32_t banks, uint32_t bank_width_bytes, double bitcell_um2,
                      double array_efficiency);
// mm² of `transistors` of placed logic.
double logic_mm2(double transistors, double logic_mtr_per_mm2, double density_fraction);
// Transistors of one PE of `array`: the datapath of each supported type (fp16 and bf16 share one) times
// its MACs per PE cycle, plus the registers once.
double pe_transistors(const ArrayConfig& array);
// Processing elements of one core (rows x cols of its MAC array).
double pe_per_core(const NpuConfig& config);

struct AreaComponent {
  std::string name;  // mac_arrays, sram, global_sram, vector_units, noc_routers, dma_engines, dram_phys,
                     // serdes_phys, integration
  double mm2 = 0.0;
  double idle_w = 0.0;
};

struct PowerModel {
  NodeParameters node;
  double voltage_v = 0.0;  // operating core voltage at clock_mhz
  std::vector<AreaComponent> components;
  double die_area_mm2 = 0.0;
  double modeled_idle_w = 0.0;  // the components' sum
  double idle_w = 0.0;          // npu.energy.leakage_w when set, else modeled_idle_w
};

// Throws InputError (file "<npu>") for a DRAM kind without PHY data or an unknown node.
PowerModel resolve_power_model(const NpuConfig& config);

// The "power" section of result.json and `validate --print`: area and idle power per component, die
// area vs published, TDP, sources.
nlohmann::ordered_json power_model_to_json(const PowerModel& model, const NpuConfig& config);

}  // namespace npusim
