// Progress of a long simulation on the terminal: one line on stderr, rewritten in place
// ("npusim: layer 1200 of 3600 (33%), 12.3 s"), cleared when the run ends.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace npusim {

enum class ProgressMode { kAuto, kOn, kOff };

// kAuto: on only when stderr is a terminal, so logs and pipes never see carriage returns.
bool progress_enabled(ProgressMode mode);

class ProgressMeter {
 public:
  explicit ProgressMeter(bool enabled);
  ~ProgressMeter();
  ProgressMeter(const ProgressMeter&) = delete;
  ProgressMeter& operator=(const ProgressMeter&) = delete;

  bool enabled() const { return enabled_; }
  // Redraws at most every kRedrawS seconds of wall time, and always when the count changes to `total`.
  void update(size_t layers_finished, size_t layers);
  // Clears the line (also done at destruction).
  void finish();

 private:
  static constexpr double kRedrawS = 0.2;
  using Clock = std::chrono::steady_clock;
  bool enabled_;
  bool drawn_ = false;
  Clock::time_point start_;
  Clock::time_point last_draw_;
};

}  // namespace npusim
