#include "arch/core/layer_barrier.h"

#include <algorithm>

namespace npusim {

Cycles LayerBarrier::arrive_and_wait(Cycles end) {
  latest_ = std::max(latest_, end);
  if (++arrived_ == parties_) {
    // The last core to arrive releases everyone (itself included) at the latest end. The notification
    // is timed or delta, never immediate, so the waits below (and its own) all see it.
    release_at_ = latest_;
    arrived_ = 0;
    latest_ = 0;
    const Cycles now = clock_.now();
    release_.notify(release_at_ > now ? clock_.delay(release_at_ - now) : sc_core::SC_ZERO_TIME);
  }
  sc_core::wait(release_);
  return release_at_;
}

}  // namespace npusim
