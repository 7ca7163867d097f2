#include "analysis/energy/npu_energy.h"

#include <algorithm>
#include <stdexcept>

namespace npusim {
namespace {

constexpr double kJoulesPerPicojoule = 1e-12;
constexpr double kBitsPerByte = 8.0;

double as_double(uint64_t value) { return static_cast<double>(value); }

// Energy of the spans up to `x` cycles; `include_impulse_at_x` decides 0-cycle spans sitting exactly at x.
class EnergyTimeline {
 public:
  explicit EnergyTimeline(const std::vector<EnergySpan>& spans) : spans_(spans) {
    prefix_j_.push_back(0.0);
    Cycles at = 0;
    for (const auto& span : spans) {
      starts_.push_back(at);
      at += span.cycles;
      ends_.push_back(at);
      prefix_j_.push_back(prefix_j_.back() + span.energy_j);
    }
  }

  Cycles total_cycles() const { return ends_.empty() ? 0 : ends_.back(); }
  double total_j() const { return prefix_j_.back(); }
  const std::vector<Cycles>& starts() const { return starts_; }

  double energy_before(Cycles x, bool include_impulse_at_x) const {
    // Spans wholly before x (ends < x, or <= x when impulses at x count), then a partial span.
    const auto it = include_impulse_at_x ? std::upper_bound(ends_.begin(), ends_.end(), x)
                                         : std::lower_bound(ends_.begin(), ends_.end(), x);
    const auto k = static_cast<size_t>(it - ends_.begin());
    double energy = prefix_j_[k];
    if (k < spans_.size() && starts_[k] < x && spans_[k].cycles > 0) {
      energy += spans_[k].energy_j * as_double(x - starts_[k]) / as_double(spans_[k].cycles);
    }
    return energy;
  }

 private:
  const std::vector<EnergySpan>& spans_;
  std::vector<Cycles> starts_;
  std::vector<Cycles> ends_;
  std::vector<double> prefix_j_;
};

}  // namespace

EnergyEvents layer_energy_events(const LayerStats& stats) {
  EnergyEvents events;
  events.macs = stats.macs;
  events.vector_ops = stats.vector_ops;
  events.sram_read_bytes = stats.sram_read_bytes;
  events.sram_write_bytes = stats.sram_write_bytes;
  events.dram_read_bytes = stats.dram_read_bytes;
  events.dram_write_bytes = stats.dram_write_bytes;
  events.dma_transfers = stats.dma_transfers;
  events.noc_flit_hops = stats.noc_flit_hops;
  return events;
}

EnergyBreakdown& EnergyBreakdown::operator+=(const EnergyBreakdown& other) {
  mac_j += other.mac_j;
  sram_j += other.sram_j;
  dram_j += other.dram_j;
  vector_j += other.vector_j;
  noc_j += other.noc_j;
  dma_j += other.dma_j;
  leakage_j += other.leakage_j;
  total_j += other.total_j;
  return *this;
}

EnergyBreakdown event_energy(const EnergyEvents& events, DType mac_dtype, const EnergyEventTable& table,
                             double seconds) {
  EnergyBreakdown energy;
  energy.mac_j = as_double(events.macs) * table.mac_pj_of(mac_dtype) * kJoulesPerPicojoule;
  energy.sram_j = (as_double(events.sram_read_bytes) * table.sram_read_pj_per_byte +
                   as_double(events.sram_write_bytes) * table.sram_write_pj_per_byte) *
                  kJoulesPerPicojoule;
  energy.dram_j = as_double(events.dram_read_bytes + events.dram_write_bytes) * kBitsPerByte *
                  table.dram_pj_per_bit * kJoulesPerPicojoule;
  energy.vector_j = as_double(events.vector_ops) * table.vector_op_pj * kJoulesPerPicojoule;
  energy.noc_j = as_double(events.noc_flit_hops) * table.noc_pj_per_flit_hop * kJoulesPerPicojoule;
  energy.dma_j = as_double(events.dma_transfers) * table.dma_descriptor_pj * kJoulesPerPicojoule;
  energy.leakage_j = table.leakage_w * seconds;
  energy.total_j = energy.mac_j + energy.sram_j + energy.dram_j + energy.vector_j + energy.noc_j +
                   energy.dma_j + energy.leakage_j;
  return energy;
}

EnergyBreakdown npu_layer_energy(const LayerStats& stats, DType mac_dtype, const EnergyEventTable& table,
                                 double seconds) {
  return event_energy(layer_energy_events(stats), mac_dtype, table, seconds);
}

nlohmann::json energy_breakdown_to_json(const EnergyBreakdown& energy) {
  return {{"mac_j", energy.mac_j},         {"sram_j", energy.sram_j},  {"dram_j", energy.dram_j},
          {"vector_j", energy.vector_j},   {"noc_j", energy.noc_j},    {"dma_j", energy.dma_j},
          {"leakage_j", energy.leakage_j}, {"total_j", energy.total_j}};
}

double peak_window_power_w(const std::vector<EnergySpan>& spans, Cycles window_cycles, double clock_mhz) {
  if (window_cycles == 0) throw std::invalid_argument("peak_window_power_w: window of 0 cycles");
  if (!(clock_mhz > 0.0)) throw std::invalid_argument("peak_window_power_w: clock_mhz must be positive");
  const EnergyTimeline timeline(spans);
  const Cycles total = timeline.total_cycles();
  if (total == 0) return 0.0;
  const double seconds_per_cycle = 1.0 / (clock_mhz * 1e6);
  if (window_cycles >= total) return timeline.total_j() / (as_double(total) * seconds_per_cycle);

  // Window energy is piecewise linear in its start s, so its maximum lies where s or s + W meets a
  // span boundary: try every start and every start - W, clamped to [0, total - W].
  const Cycles last_start = total - window_cycles;
  double best_j = 0.0;
  const auto try_start = [&](Cycles s) {
    s = std::min(s, last_start);
    best_j =
        std::max(best_j, timeline.energy_before(s + window_cycles, true) - timeline.energy_before(s, false));
  };
  for (Cycles start : timeline.starts()) {
    try_start(start);
    try_start(start >= window_cycles ? start - window_cycles : 0);
  }
  try_start(last_start);  // the window ending at the run's end
  return best_j / (as_double(window_cycles) * seconds_per_cycle);
}

}  // namespace npusim
