#include "analysis/energy/energy_table.h"

#include <cmath>
#include <stdexcept>

#include "arch/spec/input_error.h"

namespace npusim {
namespace {

constexpr std::array<DType, 5> kAllDtypes{DType::kInt8, DType::kFp8, DType::kFp16, DType::kBf16, DType::kFp32};
constexpr double kSramScalingKneeNm = 22.0;

double log_interpolate(double x, double x0, double y0, double x1, double y1) {
  const double t = std::log(x / x0) / std::log(x1 / x0);
  return std::exp(std::log(y0) + t * (std::log(y1) - std::log(y0)));
}

}  // namespace

double logic_energy_scale(double node_nm) {
  const auto& table = logic_energy_scale_table();
  if (!(node_nm >= table.front().node_nm && node_nm <= table.back().node_nm)) {
    throw std::out_of_range("technology node outside 3..65 nm");
  }
  for (size_t i = 1; i < table.size(); ++i) {
    if (node_nm <= table[i].node_nm) {
      return log_interpolate(node_nm, table[i - 1].node_nm, table[i - 1].factor, table[i].node_nm,
                             table[i].factor);
    }
  }
  return table.back().factor;
}

double sram_energy_scale(double node_nm) {
  if (node_nm >= kSramScalingKneeNm) return logic_energy_scale(node_nm);
  return logic_energy_scale(kSramScalingKneeNm) * std::sqrt(node_nm / kSramScalingKneeNm);
}

double sram_read_pj_per_64b_45nm(double capacity_bytes) {
  const auto& anchors = sram_energy_anchors_45nm();
  if (capacity_bytes <= anchors.front().bytes) {
    return anchors.front().read_pj_per_64b *
           std::pow(capacity_bytes / anchors.front().bytes, kSramCactiDepthExponent);
  }
  for (size_t i = 1; i < anchors.size(); ++i) {
    if (capacity_bytes <= anchors[i].bytes) {
      return log_interpolate(capacity_bytes, anchors[i - 1].bytes, anchors[i - 1].read_pj_per_64b,
                             anchors[i].bytes, anchors[i].read_pj_per_64b);
    }
  }
  return anchors.back().read_pj_per_64b *
         std::pow(capacity_bytes / anchors.back().bytes, kSramCactiDepthExponent);
}

double sram_bank_read_pj_per_byte_45nm(double bank_bytes, double width_bytes) {
  const double depth_words = bank_bytes / width_bytes;
  const double width_factor = 0.7 * (8.0 * width_bytes) / 64.0 + 0.3;
  return sram_read_pj_per_64b_45nm(depth_words * 8.0) * width_factor / width_bytes;
}

EnergyEventTable resolve_energy_table(const EnergyConfig& config, const SramConfig& sram_config,
                                      const std::string& dram_kind, double idle_w) {
  EnergyEventTable table;
  table.technology_node_nm = config.technology_node_nm;
  const double logic = logic_energy_scale(config.technology_node_nm);
  const double sram = sram_energy_scale(config.technology_node_nm);

  for (DType dtype : kAllDtypes) {
    const auto it = config.mac_pj.find(dtype);
    table.mac_pj[static_cast<size_t>(dtype)] =
        it != config.mac_pj.end() ? it->second : mac_energy_reference_45nm(dtype).value * logic;
  }
  table.sram_bank_bytes = static_cast<double>(sram_config.capacity_bytes) / sram_config.banks;
  const double read_pj_per_byte =
      sram_bank_read_pj_per_byte_45nm(table.sram_bank_bytes, sram_config.bank_width_bytes) * sram;
  table.sram_read_pj_per_byte = config.sram_read_pj_per_byte.value_or(read_pj_per_byte);
  table.sram_write_pj_per_byte =
      config.sram_write_pj_per_byte.value_or(read_pj_per_byte * sram_write_to_read_ratio().value);

  table.dram_kind = dram_kind;
  const auto override_it = config.dram_pj_per_bit.find(dram_kind);
  const DramEnergyEntry* entry = find_dram_energy(dram_kind);
  if (entry != nullptr) {  // a property of the DRAM type and its interface: no node scaling
    table.dram_device_pj_per_bit = entry->device_pj_per_bit;
    table.dram_controller_phy_pj_per_bit = entry->controller_phy_pj_per_bit;
  }
  if (override_it != config.dram_pj_per_bit.end()) {
    table.dram_pj_per_bit = override_it->second;
  } else if (entry != nullptr) {
    table.dram_pj_per_bit = entry->pj_per_bit();
  } else {
    throw InputError("", "npu.dram.kind",
                     "'" + dram_kind + "' has no energy per bit; known: " + known_dram_kinds());
  }

  table.noc_pj_per_flit_hop =
      config.noc_pj_per_flit_hop.value_or(noc_flit_hop_energy_reference_45nm().value * logic);
  table.vector_op_pj = config.vector_op_pj.value_or(vector_op_energy_reference_45nm().value * logic);
  table.dma_descriptor_pj =
      config.dma_descriptor_pj.value_or(dma_descriptor_energy_reference_45nm().value * logic);
  table.leakage_w = idle_w;
  return table;
}

nlohmann::json energy_table_to_json(const EnergyEventTable& table, const EnergyConfig& config) {
  const char* kOverride = "override (npu.energy)";
  nlohmann::json macs = nlohmann::json::object();
  nlohmann::json mac_sources = nlohmann::json::object();
  for (DType dtype : kAllDtypes) {
    const std::string name(dtype_name(dtype));
    macs[name] = table.mac_pj_of(dtype);
  }
  const std::string scaled = "; scaled from 45 nm by the logic factor";
  for (DType dtype : kAllDtypes) {
    const std::string name(dtype_name(dtype));
    mac_sources[name] = config.mac_pj.count(dtype) ? std::string(kOverride)
                                                   : mac_energy_reference_45nm(dtype).source + scaled;
  }
  const auto source = [&](const std::optional<double>& value, const std::string& derived) -> std::string {
    return value ? std::string(kOverride) : derived;
  };
  const DramEnergyEntry* dram = find_dram_energy(table.dram_kind);
  return {
      {"technology_node_nm", table.technology_node_nm},
      {"logic_scale_vs_45nm", logic_energy_scale(table.technology_node_nm)},
      {"sram_scale_vs_45nm", sram_energy_scale(table.technology_node_nm)},
      {"mac_pj", macs},
      {"sram_bank_bytes", table.sram_bank_bytes},
      {"sram_read_pj_per_byte", table.sram_read_pj_per_byte},
      {"sram_write_pj_per_byte", table.sram_write_pj_per_byte},
      {"dram_kind", table.dram_kind},
      {"dram_pj_per_bit", table.dram_pj_per_bit},
      {"dram_device_pj_per_bit", table.dram_device_pj_per_bit},
      {"dram_controller_phy_pj_per_bit", table.dram_controller_phy_pj_per_bit},
      {"noc_pj_per_flit_hop", table.noc_pj_per_flit_hop},
      {"vector_op_pj", table.vector_op_pj},
      {"dma_descriptor_pj", table.dma_descriptor_pj},
      {"leakage_w", table.leakage_w},
      {"sources",
       {{"mac_pj", mac_sources},
        {"node_scaling", "Stillmaker & Baas 2017 via Accelergy (REFERENCE.md §1), log-log interpolated"},
        {"sram_read_pj_per_byte",
         source(
             config.sram_read_pj_per_byte,
             "per bank (capacity / banks): 64-bit read energy at the bank's depth interpolated from 8 KB/32 KB/1 MB "
             "anchors (Horowitz 2014 P, S), CACTI depth law beyond them, x (0.7 width/64 + 0.3) for the bank "
             "width, per byte of the access, logic-scaled to 22 nm then sqrt(node/22)")},
        {"sram_write_pj_per_byte", source(config.sram_write_pj_per_byte, sram_write_to_read_ratio().source)},
        {"dram_pj_per_bit", config.dram_pj_per_bit.count(table.dram_kind) ? std::string(kOverride)
                            : dram != nullptr ? std::string(dram->source) + " (device) + controller and PHY (E); not node-scaled"
                                              : std::string("?")},
        {"noc_pj_per_flit_hop",
         source(config.noc_pj_per_flit_hop, noc_flit_hop_energy_reference_45nm().source + scaled)},
        {"vector_op_pj", source(config.vector_op_pj, vector_op_energy_reference_45nm().source + scaled)},
        {"dma_descriptor_pj",
         source(config.dma_descriptor_pj, dma_descriptor_energy_reference_45nm().source + scaled)},
        {"leakage_w", config.leakage_w ? std::string(kOverride)
                                       : std::string("modeled idle power: area x idle density (power section)")}}},
  };
}

}  // namespace npusim
