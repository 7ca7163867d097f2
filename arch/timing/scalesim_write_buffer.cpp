#include "arch/timing/scalesim_write_buffer.h"

#include <algorithm>
#include <stdexcept>

#include "arch/spec/units.h"

namespace npusim {
namespace {
constexpr uint64_t kMaxCacheLines = 1024;  // write_buffer.max_cache_lines
}  // namespace

ScaleSimWriteBuffer::ScaleSimWriteBuffer(uint64_t size_words, uint64_t bandwidth_words)
    : bandwidth_(bandwidth_words) {
  active_words_ = static_cast<int64_t>(ceil_div(size_words, uint64_t{2}));
  free_words_ = static_cast<int64_t>(size_words);
  lines_per_drain_ = ceil_div(size_words - static_cast<uint64_t>(active_words_), bandwidth_);
}

// store_to_trace_mat_cache()
void ScaleSimWriteBuffer::store() {
  --free_words_;
  if (++line_fill_ < bandwidth_) return;
  line_fills_.push_back(static_cast<uint32_t>(bandwidth_));
  line_fill_ = 0;
  if (++cached_lines_ >= kMaxCacheLines) commit(false);
}

// append_to_trace_mat(force)
void ScaleSimWriteBuffer::commit(bool force) {
  if (force && line_fill_ != 0) {
    line_fills_.push_back(static_cast<uint32_t>(line_fill_));
    line_fill_ = 0;
    ++cached_lines_;
  }
  queued_lines_ += cached_lines_;
  cached_lines_ = 0;
}

// empty_drain_buf(): returns the cycle its last line is written.
int64_t ScaleSimWriteBuffer::drain(int64_t start_cycle) {
  const uint64_t end = std::min(drained_lines_ + lines_per_drain_, queued_lines_);
  if (end == drained_lines_) throw std::logic_error("SCALE-Sim replay: drain of an empty ofmap queue");
  const uint64_t lines = end - drained_lines_;
  const uint64_t words = lines * bandwidth_ - (bandwidth_ - line_fills_[end - 1]);
  dram_.accesses += words;
  if (!drained_once_) dram_.start_cycle = start_cycle;
  drained_once_ = true;
  const int64_t last_cycle = start_cycle + static_cast<int64_t>(lines) - 1;
  dram_.stop_cycle = last_cycle;
  free_words_ += static_cast<int64_t>(words);
  drained_lines_ = end;
  return last_cycle;
}

int64_t ScaleSimWriteBuffer::service_row(uint64_t writes, int64_t cycle) {
  int64_t current = cycle;
  for (uint64_t i = 0; i < writes; ++i) {
    store();
    if (current < drain_end_cycle_) {
      if (free_words_ <= 0) current = drain_end_cycle_;  // the row waits for the running drain
    } else if (free_words_ < active_words_) {
      commit(true);
      drain_end_cycle_ = drain(current);
    }
  }
  return current;
}

void ScaleSimWriteBuffer::finish(int64_t cycle) {
  commit(true);
  while (drained_lines_ < queued_lines_) {
    drain_end_cycle_ = drain(cycle);
    cycle = drain_end_cycle_ + 1;
  }
}

}  // namespace npusim
