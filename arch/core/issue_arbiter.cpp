#include "arch/core/issue_arbiter.h"

#include <algorithm>

namespace npusim {

IssueArbiter::IssueArbiter(sc_core::sc_module_name name, const ClockDomain& clock, ErrorSink& errors)
    : sc_core::sc_module(name), clock_(clock), errors_(errors), request_event_("request_event") {
  SC_METHOD(arbitrate);
  sensitive << request_event_;
  dont_initialize();
}

void IssueArbiter::post(uint32_t rank, IssueClient& client, uint32_t unit) {
  pending_.push_back({rank, sc_core::sc_delta_count(), &client, unit});
  request_event_.notify(sc_core::SC_ZERO_TIME);
}

void IssueArbiter::arbitrate() {
  try {
    // A request posted in this very delta (by a process that ran before or after this method) is left
    // for the next run, so a batch's membership never depends on process order.
    const uint64_t delta = sc_core::sc_delta_count();
    batch_.clear();
    size_t kept = 0;
    for (const Request& request : pending_) {
      if (request.delta < delta) {
        batch_.push_back(request);
      } else {
        pending_[kept++] = request;
      }
    }
    pending_.resize(kept);
    if (!pending_.empty()) request_event_.notify(sc_core::SC_ZERO_TIME);
    if (batch_.empty()) return;
    ++batches_;
    std::sort(batch_.begin(), batch_.end(),
              [](const Request& a, const Request& b) { return a.rank < b.rank; });
    const Cycles now = clock_.now();
    for (const Request& request : batch_) request.client->grant(request.unit, now);
  } catch (...) {
    errors_.capture();
  }
}

}  // namespace npusim
