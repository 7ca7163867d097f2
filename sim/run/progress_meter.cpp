#include "sim/run/progress_meter.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>

namespace npusim {

bool progress_enabled(ProgressMode mode) {
  if (mode == ProgressMode::kAuto) return ::isatty(STDERR_FILENO) == 1;
  return mode == ProgressMode::kOn;
}

ProgressMeter::ProgressMeter(bool enabled) : enabled_(enabled), start_(Clock::now()), last_draw_(start_) {}

ProgressMeter::~ProgressMeter() { finish(); }

void ProgressMeter::update(size_t layers_finished, size_t layers) {
  if (!enabled_) return;
  const Clock::time_point now = Clock::now();
  const double since_draw_s = std::chrono::duration<double>(now - last_draw_).count();
  if (drawn_ && since_draw_s < kRedrawS && layers_finished < layers) return;
  last_draw_ = now;
  drawn_ = true;
  const double percent = layers > 0 ? 100.0 * static_cast<double>(layers_finished) / static_cast<double>(layers) : 100.0;
  std::fprintf(stderr, "\rnpusim: simulating: %zu of %zu layers done (%.0f%%), %.1f s elapsed\033[K", layers_finished,
               layers, percent, std::chrono::duration<double>(now - start_).count());
  std::fflush(stderr);
}

void ProgressMeter::finish() {
  if (!enabled_ || !drawn_) return;
  std::fputs("\r\033[K", stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace npusim
