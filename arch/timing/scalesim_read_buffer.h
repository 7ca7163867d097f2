// SCALE-Sim v2's two read buffers, replayed on the stream slices of scalesim_operand_stream.h.
//
// USER mode, memory/read_buffer.py: the prefetch stream, cut into rows of `bw` words (-1 padding
// included), is hashed into lines of e = ceil(words/100) valid addresses (valid element v lies in
// line v / e; lines = floor(V/e) + 1). The active half holds A = min(lines, ceil(ceil(words/2)/e))
// lines, the prefetch half P = min(lines - A, ceil((words - ceil(words/2))/e)). An address hits when
// any line holding it lies in the circular window [s, s + A) mod lines. The first request (at cycle
// c0) fills the active half: f = min(ceil(ceil(words/2)/bw), ceil(|stream|/bw)) rows, served at
// c0 - f .. c0 - 1. Every miss runs new_prefetch(): s += P, p = ceil((words - ceil(words/2))/bw)
// rows requested, served back to back right after the previous fetch (last += p + 1) whatever the
// demand's cycle; the requesting row is then served no earlier than that last fetch cycle, and
// accesses grow by p*bw words (the -1 padding of a row is counted, as SCALE-Sim counts it).
// A row of demand is served at cycle + offset, offset = 1 (hit latency) + stalls.
//
// CALC mode, memory/read_buffer_estimate_bw.py: no stalls (served at cycle + 1). Missed addresses
// form sets of floor(words/100) in demand order; an address hits when the last set it joined lies in
// [start, current set). Each time 50 sets fill, the window moves 50 sets on and a prefetch of 50
// sets is logged: the first over ceil(50*e/10) cycles ending two cycles before the operand's first
// request, the later ones over the cycles since the previous fill. At the end the remaining sets
// are logged the same way (or, if no 50 sets ever filled, all sets in ceil(n*e/10) cycles ending at -1).
#pragma once

#include <cstdint>
#include <vector>

#include "arch/timing/scalesim_operand_stream.h"

namespace npusim {

struct ScaleSimDramWindow {
  int64_t start_cycle = 0, stop_cycle = 0;
  uint64_t accesses = 0;
};

class ScaleSimUserReadBuffer {
 public:
  ScaleSimUserReadBuffer(const ScaleSimOperandStream& stream, uint64_t size_words, uint64_t bandwidth_words);
  // Serves one demand row arriving at `cycle`; returns its serviced cycle.
  int64_t service_row(const ScaleSimStreamSlice& row, int64_t cycle);
  ScaleSimDramWindow dram() const { return dram_; }

 private:
  bool in_window(uint64_t line) const { return (line + lines_ - window_start_) % lines_ < active_lines_; }
  bool hit(uint64_t pos, int64_t address) const;
  void new_prefetch();
  void fill_active(int64_t cycle);

  const ScaleSimOperandStream& stream_;
  uint64_t elems_per_line_ = 1, lines_ = 1, active_lines_ = 1, prefetch_lines_ = 0;
  uint64_t fill_rows_ = 0, prefetch_rows_ = 0, bandwidth_ = 1;
  uint64_t window_start_ = 0;
  int64_t last_prefetch_cycle_ = -1;
  bool filled_ = false;
  ScaleSimDramWindow dram_;
};

class ScaleSimCalcReadBuffer {
 public:
  ScaleSimCalcReadBuffer(const ScaleSimOperandStream& stream, uint64_t size_words, uint64_t bandwidth_words);
  void service_row(const ScaleSimStreamSlice& row, int64_t cycle);
  void finish();  // complete_all_prefetches()
  ScaleSimDramWindow dram() const { return dram_; }

 private:
  void set_filled(int64_t cycle);
  void log_prefetch(uint64_t words);

  const ScaleSimOperandStream& stream_;
  uint64_t items_per_set_ = 1, bandwidth_ = 10;
  static constexpr int64_t kSetsPerHalf = 50;
  std::vector<int64_t> last_set_;  // per address, -1: never
  int64_t current_set_ = 0, window_start_ = 0, window_end_ = kSetsPerHalf - 1, prefetch_start_ = -1;
  uint64_t items_current_set_ = 0;
  int64_t first_request_cycle_ = 0, prefetch_start_cycle_ = -2, prefetch_end_cycle_ = -1;
  bool first_request_seen_ = false, active_done_ = false, logged_ = false;
  ScaleSimDramWindow dram_;
};

}  // namespace npusim
