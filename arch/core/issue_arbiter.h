// IssueArbiter: grants issue requests in a fixed rank order so that results never depend on the
// order in which SystemC happens to run processes. Requests posted in the same delta cycle form one
// batch, granted in the next delta by ascending rank (core-major, then UnitKind order).
#pragma once

#include <cstdint>
#include <systemc>
#include <vector>

#include "arch/core/clock_domain.h"
#include "arch/core/error_sink.h"

namespace npusim {

class IssueClient {
 public:
  virtual ~IssueClient() = default;
  virtual void grant(uint32_t unit, Cycles now) = 0;
};

class IssueArbiter : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(IssueArbiter);
  IssueArbiter(sc_core::sc_module_name name, const ClockDomain& clock, ErrorSink& errors);

  // The requester must then wait for the client's grant to notify it.
  void post(uint32_t rank, IssueClient& client, uint32_t unit);
  uint64_t batches() const { return batches_; }

 private:
  struct Request {
    uint32_t rank;
    uint64_t delta;
    IssueClient* client;
    uint32_t unit;
  };
  void arbitrate();

  const ClockDomain& clock_;
  ErrorSink& errors_;
  std::vector<Request> pending_;
  std::vector<Request> batch_;
  sc_core::sc_event request_event_;
  uint64_t batches_ = 0;
};

}  // namespace npusim
