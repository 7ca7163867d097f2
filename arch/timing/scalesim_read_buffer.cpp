#include "arch/timing/scalesim_read_buffer.h"

#include <algorithm>
#include <stdexcept>

#include "arch/spec/units.h"

namespace npusim {

// ---- USER: read_buffer.py --------------------------------------------------------------------------

ScaleSimUserReadBuffer::ScaleSimUserReadBuffer(const ScaleSimOperandStream& stream, uint64_t size_words,
                                               uint64_t bandwidth_words)
    : stream_(stream), bandwidth_(bandwidth_words) {
  const uint64_t active_words = ceil_div(size_words, uint64_t{2});  // int(ceil(words * 0.5))
  const uint64_t prefetch_words = size_words - active_words;
  elems_per_line_ = ceil_div(size_words, uint64_t{100});
  lines_ = stream.valid_before(stream.size()) / elems_per_line_ + 1;
  active_lines_ = std::min(lines_, ceil_div(active_words, elems_per_line_));
  prefetch_lines_ = std::min(lines_ - active_lines_, ceil_div(prefetch_words, elems_per_line_));
  fill_rows_ = std::min(ceil_div(active_words, bandwidth_), ceil_div(stream.size(), bandwidth_));
  prefetch_rows_ = ceil_div(prefetch_words, bandwidth_);
}

// Hit when a line holding the address is in the window: its own position's line first, then (im2col
// repeats) the lines of its other positions.
bool ScaleSimUserReadBuffer::hit(uint64_t pos, int64_t address) const {
  const auto line_in_window = [&](uint64_t p) {
    return in_window(stream_.valid_before(p) / elems_per_line_);
  };
  if (line_in_window(pos)) return true;
  if (stream_.unique_addresses()) return false;
  return stream_.any_position_of(address, line_in_window);
}

// prefetch_active_buffer(): rows served at c0 - f + i, i < f.
void ScaleSimUserReadBuffer::fill_active(int64_t cycle) {
  filled_ = true;
  dram_.accesses += fill_rows_ * bandwidth_;
  dram_.start_cycle = cycle - static_cast<int64_t>(fill_rows_);
  last_prefetch_cycle_ = cycle - 1;
  dram_.stop_cycle = last_prefetch_cycle_;
}

// new_prefetch(): requests at last + 1 + i, served one cycle later.
void ScaleSimUserReadBuffer::new_prefetch() {
  window_start_ = (window_start_ + prefetch_lines_) % lines_;
  dram_.accesses += prefetch_rows_ * bandwidth_;
  last_prefetch_cycle_ += static_cast<int64_t>(prefetch_rows_) + 1;
  dram_.stop_cycle = last_prefetch_cycle_;
}

int64_t ScaleSimUserReadBuffer::service_row(const ScaleSimStreamSlice& row, int64_t cycle) {
  if (!filled_) fill_active(cycle);
  int64_t offset = 1;  // hit latency
  const uint64_t valid_begin = stream_.valid_before(row.begin), valid_end = stream_.valid_before(row.end);
  if (valid_begin == valid_end) return cycle + offset;
  // Fast path: the lines of the row's own stream positions all lie inside the window.
  const uint64_t first = valid_begin / elems_per_line_, last = (valid_end - 1) / elems_per_line_;
  const uint64_t first_rel = (first + lines_ - window_start_) % lines_;
  const uint64_t last_rel = (last + lines_ - window_start_) % lines_;
  if (first_rel < active_lines_ && last_rel < active_lines_ && first_rel <= last_rel) return cycle + offset;
  stream_.for_each_valid(row.begin, row.end, [&](uint64_t pos, int64_t address) {
    while (!hit(pos, address)) {
      if (prefetch_lines_ == 0) throw std::logic_error("SCALE-Sim replay: address missing from the stream");
      new_prefetch();
      const int64_t potential_stall = last_prefetch_cycle_ - (cycle + offset);
      if (potential_stall > 0) offset += potential_stall;
    }
  });
  return cycle + offset;
}

// ---- CALC: read_buffer_estimate_bw.py -------------------------------------------------------------

ScaleSimCalcReadBuffer::ScaleSimCalcReadBuffer(const ScaleSimOperandStream& stream, uint64_t size_words,
                                               uint64_t bandwidth_words)
    : stream_(stream),
      items_per_set_(size_words / 100),
      bandwidth_(bandwidth_words),
      last_set_(stream.address_count(), -1) {
  if (items_per_set_ == 0) throw std::domain_error("SCALE-Sim CALC mode needs SRAMs of at least 100 words");
}

void ScaleSimCalcReadBuffer::service_row(const ScaleSimStreamSlice& row, int64_t cycle) {
  const uint64_t valid_begin = stream_.valid_before(row.begin), valid_end = stream_.valid_before(row.end);
  if (valid_begin == valid_end) return;
  if (!first_request_seen_) {
    first_request_seen_ = true;
    first_request_cycle_ = cycle;
  }
  stream_.for_each_valid(row.begin, row.end, [&](uint64_t, int64_t a) {
    const int64_t set = last_set_[a];
    if (set >= window_start_ && set < std::min(current_set_, window_end_ + 1)) return;  // check_hit()
    if (set == current_set_) return;                                                    // in current set
    last_set_[a] = current_set_;
    if (++items_current_set_ < items_per_set_) return;
    items_current_set_ = 0;
    if (++current_set_ == window_end_ + 1) set_filled(cycle);
  });
}

// manage_prefetches() when the set after the active window fills.
void ScaleSimCalcReadBuffer::set_filled(int64_t cycle) {
  const uint64_t words = kSetsPerHalf * items_per_set_;
  if (!active_done_) {
    prefetch_end_cycle_ = first_request_cycle_ - 1 - 1;  // read port latency 1
    prefetch_start_cycle_ = prefetch_end_cycle_ - static_cast<int64_t>(ceil_div(words, bandwidth_)) + 1;
    prefetch_start_ = window_end_ + 1;
    active_done_ = true;
  } else {
    prefetch_start_ += kSetsPerHalf;
  }
  log_prefetch(words);
  window_start_ += kSetsPerHalf;
  window_end_ += kSetsPerHalf;
  prefetch_start_cycle_ = prefetch_end_cycle_ + 1;
  prefetch_end_cycle_ = cycle;
}

// prefetch(): one trace row per cycle of [start, end], served one cycle later.
void ScaleSimCalcReadBuffer::log_prefetch(uint64_t words) {
  if (prefetch_end_cycle_ < prefetch_start_cycle_) {
    throw std::domain_error("SCALE-Sim CALC mode divides by zero here (two prefetches in one cycle)");
  }
  dram_.accesses += words;
  if (!logged_) dram_.start_cycle = prefetch_start_cycle_ + 1;
  logged_ = true;
  dram_.stop_cycle = prefetch_end_cycle_ + 1;
}

void ScaleSimCalcReadBuffer::finish() {
  // The current set joins the list if it has elements; otherwise current_set_id steps back.
  const uint64_t last_set_items = items_current_set_ > 0 ? items_current_set_ : items_per_set_;
  if (items_current_set_ == 0) --current_set_;
  const auto words_of = [&](int64_t first_set) -> uint64_t {
    if (current_set_ < first_set) return 0;
    return static_cast<uint64_t>(current_set_ - first_set) * items_per_set_ + last_set_items;
  };
  if (!active_done_) {
    const auto sets = static_cast<uint64_t>(current_set_ + 1);
    prefetch_end_cycle_ = -1 - 1;
    prefetch_start_cycle_ =
        prefetch_end_cycle_ - static_cast<int64_t>(ceil_div(sets * items_per_set_, bandwidth_)) + 1;
    active_done_ = true;
    log_prefetch(words_of(0));
  } else {
    log_prefetch(words_of(prefetch_start_));
  }
}

}  // namespace npusim
