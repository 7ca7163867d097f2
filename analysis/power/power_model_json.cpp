// The power model as written into result.json and `validate --print`.
#include "analysis/power/area_model.h"

namespace npusim {
namespace {

nlohmann::ordered_json optional_number(const std::optional<double>& value) {
  return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
}

nlohmann::ordered_json area_sources() {
  return {{"node", "npu.energy.technology_node_nm; densities, bit cell, voltage and idle density per node from "
                   "arch/spec/area_reference.cpp (WikiChip, IEDM papers, REFERENCE.md 3.3), interpolated"},
          {"mac_arrays", pe_datapath_transistors(DType::kInt8).source},
          {"mac_arrays_fp", pe_datapath_transistors(DType::kBf16).source},
          {"pe_registers", pe_register_transistors().source},
          {"vector_units", vector_lane_transistors().source},
          {"dma_engines", dma_engine_transistors().source},
          {"noc_routers", noc_router_transistors_per_flit_bit().source},
          {"sram_periphery", sram_bank_periphery_cells_per_io_bit().source},
          {"serdes_phys", serdes_link_mm2().source},
          {"sram_idle", sram_idle_density_fraction().source}};
}

}  // namespace

nlohmann::ordered_json power_model_to_json(const PowerModel& model, const NpuConfig& config) {
  nlohmann::ordered_json out;
  out["model"] =
      "area: logic = transistors / (peak density x npu.area.logic_density_fraction); SRAM = bits x bit cell / "
      "npu.area.sram_array_efficiency + periphery per bank; PHYs per channel or link; integration = "
      "npu.area.integration_overhead x blocks. Idle power = area x idle density (SRAM at a fraction) x "
      "(V / V_node)^2";
  out["technology_node_nm"] = model.node.node_nm;
  out["logic_mtr_per_mm2"] = model.node.logic_mtr_per_mm2;
  out["sram_bitcell_um2"] = model.node.sram_bitcell_um2;
  out["nominal_voltage_v"] = model.node.nominal_voltage_v;
  out["voltage_v"] = model.voltage_v;
  out["idle_w_per_mm2"] = model.node.idle_w_per_mm2;
  out["die_area_mm2"] = model.die_area_mm2;
  out["published_die_mm2"] = optional_number(config.area.published_die_mm2);
  out["die_area_error_percent"] =
      config.area.published_die_mm2
          ? nlohmann::ordered_json(100.0 * (model.die_area_mm2 / *config.area.published_die_mm2 - 1.0))
          : nlohmann::ordered_json(nullptr);
  nlohmann::ordered_json area = nlohmann::ordered_json::object();
  nlohmann::ordered_json idle = nlohmann::ordered_json::object();
  for (const auto& component : model.components) {
    area[component.name] = component.mm2;
    idle[component.name] = component.idle_w;
  }
  out["area_mm2"] = area;
  out["modeled_idle_power_w"] = model.modeled_idle_w;
  out["idle_power_w_by_component"] = idle;
  out["idle_power_w"] = model.idle_w;
  out["idle_power_source"] = config.energy.leakage_w ? "override (npu.energy.leakage_w)" : "modeled";
  out["tdp_w"] = optional_number(config.power.tdp_w);
  out["sources"] = area_sources();
  return out;
}

}  // namespace npusim
