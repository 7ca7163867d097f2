// SCALE-Sim v2's ofmap write buffer (memory/write_buffer.py), replayed on per-row write counts.
//
// Writes fill lines of `bw` words; 1024 finished lines are moved at a time into the drain queue,
// or all lines (the current partial one included) when a drain starts. Per written word, free space
// drops by one; then, if a drain is still running (cycle < drain end) and no space is left, the row
// waits for the drain's end (a stall); else, if fewer than ceil(words/2) words are free, a drain of up
// to ceil((words - ceil(words/2)) / bw) queued lines starts at the current cycle, one line per cycle
// (write port latency 0), and frees lines * bw words minus the -1 slots of its last line (a partial
// line inside a drain counts as full, as in SCALE-Sim). At the end the queue drains back to back
// from the last row's cycle.
#pragma once

#include <cstdint>
#include <vector>

#include "arch/timing/scalesim_read_buffer.h"

namespace npusim {

class ScaleSimWriteBuffer {
 public:
  ScaleSimWriteBuffer(uint64_t size_words, uint64_t bandwidth_words);
  // Serves a demand row of `writes` valid words arriving at `cycle`; returns its serviced cycle.
  int64_t service_row(uint64_t writes, int64_t cycle);
  void finish(int64_t cycle);  // empty_all_buffers()
  ScaleSimDramWindow dram() const { return dram_; }

 private:
  void store();
  void commit(bool force);
  int64_t drain(int64_t start_cycle);

  uint64_t bandwidth_ = 1;
  int64_t active_words_ = 0, free_words_ = 0;
  uint64_t lines_per_drain_ = 1;
  uint64_t line_fill_ = 0;     // words in the line being filled
  uint64_t cached_lines_ = 0;  // finished lines not yet queued
  uint64_t queued_lines_ = 0;  // lines in the drain queue (trace matrix), drained or not
  uint64_t drained_lines_ = 0;
  std::vector<uint32_t> line_fills_;  // words per finished line, in order
  int64_t drain_end_cycle_ = 0;
  bool drained_once_ = false;
  ScaleSimDramWindow dram_;
};

}  // namespace npusim
