#include "analysis/power/area_model.h"

#include <algorithm>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "arch/spec/input_error.h"
#include "arch/spec/noc_config.h"

namespace npusim {
namespace {

constexpr double kBitsPerByte = 8.0;
constexpr double kUm2PerMm2 = 1e6;

double log_interpolate(double x, double x0, double y0, double x1, double y1) {
  const double t = std::log(x / x0) / std::log(x1 / x0);
  return std::exp(std::log(y0) + t * (std::log(y1) - std::log(y0)));
}

double linear_interpolate(double x, double x0, double y0, double x1, double y1) {
  return y0 + (x - x0) / (x1 - x0) * (y1 - y0);
}

NodeParameters interpolate_node(double node_nm) {
  const auto& table = node_facts_table();
  if (!(node_nm >= table.front().node_nm && node_nm <= table.back().node_nm)) {
    throw InputError("<npu>", "npu.energy.technology_node_nm", "no area data for this node; expected 3 to 65 nm");
  }
  size_t i = 1;
  while (i + 1 < table.size() && node_nm > table[i].node_nm) ++i;
  const NodeFacts& a = table[i - 1];
  const NodeFacts& b = table[i];
  NodeParameters node;
  node.node_nm = node_nm;
  node.logic_mtr_per_mm2 = log_interpolate(node_nm, a.node_nm, a.logic_mtr_per_mm2, b.node_nm, b.logic_mtr_per_mm2);
  node.sram_bitcell_um2 = log_interpolate(node_nm, a.node_nm, a.sram_bitcell_um2, b.node_nm, b.sram_bitcell_um2);
  node.nominal_voltage_v =
      linear_interpolate(node_nm, a.node_nm, a.nominal_voltage_v, b.node_nm, b.nominal_voltage_v);
  node.idle_w_per_mm2 = linear_interpolate(node_nm, a.node_nm, a.idle_w_per_mm2, b.node_nm, b.idle_w_per_mm2);
  return node;
}

double dram_phy_mm2(const DramConfig& dram) {
  const DramPhyArea* phy = find_dram_phy_area(dram.kind);
  if (phy == nullptr) {
    throw InputError("<npu>", "npu.dram.kind", "'" + dram.kind + "' has no PHY area data");
  }
  return phy->mm2_per_channel * dram.channels;
}

double noc_router_mm2(const NpuConfig& config, const NodeParameters& node) {
  const uint32_t routers = config.cores > 1 ? noc_node_count(config.noc, config.cores) : 0;
  const double flit_bits = static_cast<double>(config.noc.flit_bytes) * kBitsPerByte;
  return routers * logic_mm2(noc_router_transistors_per_flit_bit().value * flit_bits, node.logic_mtr_per_mm2,
                             config.area.logic_density_fraction);
}

double dma_mm2(const NpuConfig& config, const NodeParameters& node) {
  // Line buffers: one port width per outstanding request, as flip-flops (24 transistors per bit).
  const double buffer_bits =
      static_cast<double>(config.dma.bytes_per_cycle) * config.dma.max_outstanding * kBitsPerByte;
  const double transistors = dma_engine_transistors().value + 24.0 * buffer_bits;
  return config.cores * logic_mm2(transistors, node.logic_mtr_per_mm2, config.area.logic_density_fraction);
}

// Block areas before integration: every block named in AreaComponent, in report order.
std::vector<AreaComponent> block_areas(const NpuConfig& config, const NodeParameters& node) {
  const AreaConfig& area = config.area;
  const double cores = config.cores;
  const auto logic = [&](double transistors) {
    return logic_mm2(transistors, node.logic_mtr_per_mm2, area.logic_density_fraction);
  };
  std::vector<AreaComponent> blocks;
  blocks.push_back({"mac_arrays", cores * logic(pe_per_core(config) * pe_transistors(config.array))});
  blocks.push_back({"sram", cores * sram_macro_mm2(static_cast<double>(config.sram.capacity_bytes), config.sram.banks,
                                                   config.sram.bank_width_bytes, node.sram_bitcell_um2,
                                                   area.sram_array_efficiency)});
  // The global SRAM's one port of bytes_per_cycle is its bank width; one bank per 4 MiB (E).
  const double global_bytes = static_cast<double>(config.global_sram.capacity_bytes);
  const auto global_banks = static_cast<uint32_t>(std::max(1.0, std::ceil(global_bytes / (4.0 * (1 << 20)))));
  blocks.push_back({"global_sram", global_bytes > 0 ? sram_macro_mm2(global_bytes, global_banks,
                                                                     config.global_sram.bytes_per_cycle,
                                                                     node.sram_bitcell_um2, area.sram_array_efficiency)
                                                    : 0.0});
  blocks.push_back({"vector_units", cores * config.vector.lanes * logic(vector_lane_transistors().value)});
  blocks.push_back({"noc_routers", noc_router_mm2(config, node)});
  blocks.push_back({"dma_engines", dma_mm2(config, node)});
  blocks.push_back({"dram_phys", dram_phy_mm2(config.dram)});
  blocks.push_back({"serdes_phys", area.chip_to_chip_links * serdes_link_mm2().value});
  return blocks;
}

double idle_density_of(const std::string& component, const NodeParameters& node) {
  const bool sram = component == "sram" || component == "global_sram";
  return node.idle_w_per_mm2 * (sram ? sram_idle_density_fraction().value : 1.0);
}

}  // namespace

NodeParameters node_parameters(const NpuConfig& config) {
  NodeParameters node = interpolate_node(config.energy.technology_node_nm);
  node.logic_mtr_per_mm2 = config.area.logic_mtr_per_mm2.value_or(node.logic_mtr_per_mm2);
  node.sram_bitcell_um2 = config.area.sram_bitcell_um2.value_or(node.sram_bitcell_um2);
  node.idle_w_per_mm2 = config.power.idle_w_per_mm2.value_or(node.idle_w_per_mm2);
  return node;
}

double sram_macro_mm2(double capacity_bytes, uint32_t banks, uint32_t bank_width_bytes, double bitcell_um2,
                      double array_efficiency) {
  const double array_um2 = capacity_bytes * kBitsPerByte * bitcell_um2 / array_efficiency;
  const double periphery_um2 = static_cast<double>(banks) * bank_width_bytes * kBitsPerByte *
                               sram_bank_periphery_cells_per_io_bit().value * bitcell_um2;
  return (array_um2 + periphery_um2) / kUm2PerMm2;
}

double logic_mm2(double transistors, double logic_mtr_per_mm2, double density_fraction) {
  return transistors / (logic_mtr_per_mm2 * 1e6 * density_fraction);
}

double pe_transistors(const ArrayConfig& array) {
  // A type run at r MACs per PE cycle needs r of its datapaths per PE: a half-rate bf16 path is shared by
  // two PEs. fp16 and bf16 share one datapath, sized by the faster of the two.
  std::map<double, double> rate_by_datapath;
  for (DType dtype : array.dtypes) {
    double& rate = rate_by_datapath[pe_datapath_transistors(dtype).value];
    rate = std::max(rate, array.rate_of(dtype));
  }
  double transistors = pe_register_transistors().value;
  for (const auto& [datapath, rate] : rate_by_datapath) transistors += datapath * rate;
  return transistors;
}

double pe_per_core(const NpuConfig& config) {
  return static_cast<double>(config.array.rows) * config.array.cols * config.array.count;
}

PowerModel resolve_power_model(const NpuConfig& config) {
  PowerModel model;
  model.node = node_parameters(config);
  model.voltage_v = config.power.voltage_v.value_or(model.node.nominal_voltage_v);
  const double voltage_scale = std::pow(model.voltage_v / model.node.nominal_voltage_v, 2.0);
  model.components = block_areas(config, model.node);
  double blocks_mm2 = 0.0;
  for (const auto& block : model.components) blocks_mm2 += block.mm2;
  model.components.push_back({"integration", blocks_mm2 * config.area.integration_overhead});
  for (auto& component : model.components) {
    component.idle_w = component.mm2 * idle_density_of(component.name, model.node) * voltage_scale;
    model.die_area_mm2 += component.mm2;
    model.modeled_idle_w += component.idle_w;
  }
  model.idle_w = config.energy.leakage_w.value_or(model.modeled_idle_w);
  if (config.power.tdp_w && *config.power.tdp_w <= model.idle_w) {
    throw InputError("<npu>", "npu.power.tdp_w",
                     fmt::format("expected more than the idle power, {:.4g} W, got {:.4g}", model.idle_w,
                                 *config.power.tdp_w));
  }
  return model;
}

}  // namespace npusim
