#include "arch/timing/scalesim_memory_replay.h"

#include <algorithm>
#include <memory>

#include "arch/spec/units.h"
#include "arch/timing/scalesim_timing.h"
#include "arch/timing/scalesim_write_buffer.h"

namespace npusim {
namespace {

constexpr uint64_t kWordsPerKb = 1024;  // word size 1 byte
constexpr uint64_t kCalcReadWordsPerCycle = 10;

uint64_t ofmap_extent(uint32_t in, uint32_t filter, uint32_t stride) {
  return (uint64_t{in} - filter + stride + stride - 1) / stride;
}

// Valid ofmap writes in demand row t of a fold (see the header).
uint64_t ofmap_writes(Dataflow dataflow, uint64_t h, uint64_t t_len, const ScaleSimFold& fold, uint64_t t) {
  int64_t lo = 0, hi = 0;
  const auto tt = static_cast<int64_t>(t), T = static_cast<int64_t>(t_len), H = static_cast<int64_t>(h);
  if (dataflow == Dataflow::kOutputStationary) {
    lo = tt - (T - 1) - (H - 1);
    hi = tt - (T - 1) - (H - static_cast<int64_t>(fold.rows_used));
  } else {
    lo = tt - (2 * H - 1) - (T - 1);
    hi = tt - (2 * H - 1);
  }
  lo = std::max<int64_t>(lo, 0);
  hi = std::min<int64_t>(hi, static_cast<int64_t>(fold.cols_used) - 1);
  return hi >= lo ? static_cast<uint64_t>(hi - lo + 1) : 0;
}

// One read operand: its stream and whichever buffer the bandwidth mode uses.
class ReadSide {
 public:
  ReadSide(const ScaleSimMemorySetup& setup, const ScaleSimLayerShape& shape, ScaleSimOperand operand,
           uint32_t sram_kb)
      : stream_(setup, shape, operand) {
    const uint64_t words = uint64_t{sram_kb} * kWordsPerKb;
    if (setup.calc_bandwidth) {
      calc_ = std::make_unique<ScaleSimCalcReadBuffer>(stream_, words, kCalcReadWordsPerCycle);
    } else {
      user_ = std::make_unique<ScaleSimUserReadBuffer>(stream_, words, setup.user_bandwidth_words_per_cycle);
    }
  }

  // Serviced cycle of the row; records the SRAM start/stop cycles.
  int64_t serve(uint64_t col_fold, uint64_t row_fold, uint64_t t, int64_t cycle) {
    const ScaleSimStreamSlice row = stream_.demand_row(col_fold, row_fold, t);
    int64_t served = cycle + 1;
    if (user_) {
      served = user_->service_row(row, cycle);
    } else {
      calc_->service_row(row, cycle);
    }
    if (stream_.valid_before(row.end) != stream_.valid_before(row.begin)) {
      if (!seen_) access_.sram_start_cycle = served;
      seen_ = true;
      access_.sram_stop_cycle = served;
    }
    return served;
  }

  ScaleSimOperandAccess finish() {
    if (calc_) calc_->finish();
    const ScaleSimDramWindow dram = user_ ? user_->dram() : calc_->dram();
    access_.dram_start_cycle = dram.start_cycle;
    access_.dram_stop_cycle = dram.stop_cycle;
    access_.dram_accesses = dram.accesses;
    return access_;
  }

 private:
  ScaleSimOperandStream stream_;
  std::unique_ptr<ScaleSimUserReadBuffer> user_;
  std::unique_ptr<ScaleSimCalcReadBuffer> calc_;
  ScaleSimOperandAccess access_;
  bool seen_ = false;
};

double dram_bandwidth(const ScaleSimOperandAccess& a) {
  return static_cast<double>(a.dram_accesses) /
         static_cast<double>(a.dram_stop_cycle - a.dram_start_cycle + 1);
}

void fill_compute_columns(const ScaleSimMemorySetup& setup, const ScaleSimLayerShape& shape,
                          const ScaleSimLayerTiming& timing, ScaleSimLayerReport& report) {
  const uint64_t px = ofmap_extent(shape.ifmap_h, shape.filter_h, shape.stride_h) *
                      ofmap_extent(shape.ifmap_w, shape.filter_w, shape.stride_w);
  const uint64_t macs = px * shape.num_filters * uint64_t{shape.filter_h} * shape.filter_w * shape.channels;
  const uint64_t pes = uint64_t{setup.array.rows} * setup.array.cols;
  // (num_compute * 100) / (total_cycles * num_mac_unit): Python int / int, correctly rounded.
  report.overall_util_percent =
      static_cast<double>(macs * 100) / static_cast<double>(report.total_cycles * pes);
  report.mapping_efficiency_percent = scalesim_percent(timing.mapping_efficiency);
  report.compute_util_percent = scalesim_percent(timing.compute_utilisation);
  report.ifmap.sram_accesses = timing.sram.ifmap_reads;
  report.filter.sram_accesses = timing.sram.filter_reads;
  report.ofmap.sram_accesses = timing.sram.ofmap_writes;
  const auto total = static_cast<double>(report.total_cycles);
  report.ifmap_sram_bw = static_cast<double>(timing.sram.ifmap_reads) / total;
  report.filter_sram_bw = static_cast<double>(timing.sram.filter_reads) / total;
  report.ofmap_sram_bw = static_cast<double>(timing.sram.ofmap_writes) / total;
  report.ifmap_dram_bw = dram_bandwidth(report.ifmap);
  report.filter_dram_bw = dram_bandwidth(report.filter);
  report.ofmap_dram_bw = dram_bandwidth(report.ofmap);
}

}  // namespace

ScaleSimLayerReport scalesim_replay_layer(const ScaleSimMemorySetup& setup, const ScaleSimLayerShape& shape) {
  const uint64_t px = ofmap_extent(shape.ifmap_h, shape.filter_h, shape.stride_h) *
                      ofmap_extent(shape.ifmap_w, shape.filter_w, shape.stride_w);
  const uint64_t window = uint64_t{shape.filter_h} * shape.filter_w * shape.channels;
  const GemmShape gemm{px, shape.num_filters, window};
  const ScaleSimLayerTiming timing = scalesim_layer_timing(setup.array, setup.dataflow, gemm);

  ReadSide ifmap(setup, shape, ScaleSimOperand::kIfmap, setup.ifmap_sram_kb);
  ReadSide filter(setup, shape, ScaleSimOperand::kFilter, setup.filter_sram_kb);
  const uint64_t ofmap_bw = setup.calc_bandwidth ? setup.array.cols : setup.user_bandwidth_words_per_cycle;
  ScaleSimWriteBuffer ofmap(uint64_t{setup.ofmap_sram_kb} * kWordsPerKb, ofmap_bw);

  ScaleSimLayerReport report;
  ScaleSimOperandAccess ofmap_access;
  bool ofmap_seen = false;
  int64_t row_index = 0, stalls = 0, last_ofmap_cycle = 0;
  for (uint64_t index = 0; index < timing.row_folds * timing.col_folds; ++index) {
    const ScaleSimFold fold = scalesim_fold(setup.array, timing.mapping, index);
    for (uint64_t t = 0; t < timing.fold_cycles; ++t, ++row_index) {
      const int64_t cycle = row_index + stalls;
      const int64_t ifmap_served = ifmap.serve(fold.col_fold, fold.row_fold, t, cycle);
      const int64_t filter_served = filter.serve(fold.col_fold, fold.row_fold, t, cycle);
      const uint64_t writes = ofmap_writes(setup.dataflow, setup.array.rows, timing.mapping.t, fold, t);
      const int64_t ofmap_served = ofmap.service_row(writes, cycle);
      if (writes > 0) {
        if (!ofmap_seen) ofmap_access.sram_start_cycle = ofmap_served;
        ofmap_seen = true;
        ofmap_access.sram_stop_cycle = ofmap_served;
      }
      last_ofmap_cycle = ofmap_served;
      stalls += std::max({ifmap_served - cycle - 1, filter_served - cycle - 1, ofmap_served - cycle});
    }
  }
  report.ifmap = ifmap.finish();
  report.filter = filter.finish();
  ofmap.finish(last_ofmap_cycle);
  const ScaleSimDramWindow ofmap_dram = ofmap.dram();
  ofmap_access.dram_start_cycle = ofmap_dram.start_cycle;
  ofmap_access.dram_stop_cycle = ofmap_dram.stop_cycle;
  ofmap_access.dram_accesses = ofmap_dram.accesses;
  report.ofmap = ofmap_access;
  report.total_cycles = static_cast<uint64_t>(last_ofmap_cycle);
  report.stall_cycles = static_cast<uint64_t>(stalls);
  fill_compute_columns(setup, shape, timing, report);
  return report;
}

}  // namespace npusim
