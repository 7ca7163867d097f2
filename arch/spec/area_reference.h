// Reference data for the area and idle-power models, each value with its source (tags as in REFERENCE.md:
// P primary, S secondary, D derived, E estimate). Interpolation lives in analysis/power/.
#pragma once

#include <string>
#include <vector>

#include "arch/spec/dtype.h"

namespace npusim {

// Per-node process facts, ascending node. Every node of the energy scaling range (3..65 nm) lies between
// two rows, so any valid technology_node_nm resolves.
struct NodeFacts {
  double node_nm;
  double logic_mtr_per_mm2;    // peak logic transistor density
  double sram_bitcell_um2;     // high-density 6T bit cell
  double nominal_voltage_v;    // core supply
  double idle_w_per_mm2;       // idle (leakage + always-on) power density of logic at nominal voltage
  const char* source;
};
const std::vector<NodeFacts>& node_facts_table();

// Transistors of one systolic processing element able to run `dtype` (multiplier, accumulator adder,
// operand and partial-sum registers); a PE supporting several types adds their datapaths.
struct ReferenceCount {
  double value;
  const char* source;
};
ReferenceCount pe_datapath_transistors(DType dtype);
ReferenceCount pe_register_transistors();   // shared by the datapaths of one PE
ReferenceCount vector_lane_transistors();   // one fp32 lane of the vector unit
ReferenceCount dma_engine_transistors();    // one DMA engine (queues, address generation)
ReferenceCount noc_router_transistors_per_flit_bit();  // 5-port router, 4-flit buffers

// PHY area in mm² per DRAM channel (analog and bump-limited: not scaled with the logic node).
struct DramPhyArea {
  const char* kind;
  double mm2_per_channel;
  const char* source;
};
const DramPhyArea* find_dram_phy_area(const std::string& kind);
ReferenceCount serdes_link_mm2();  // one x16 SerDes link (PCIe Gen4/5-class PHY)

// SRAM arrays leak less per mm² than logic (high-Vt bit cells); their idle density is this fraction.
ReferenceCount sram_idle_density_fraction();
// Periphery of one bank per bit of its access width, in bit-cell areas (sense amps, write drivers,
// column muxes); a CACTI-like fixed cost per bank that makes many small banks larger than few big ones.
ReferenceCount sram_bank_periphery_cells_per_io_bit();

}  // namespace npusim
