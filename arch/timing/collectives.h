// Collectives over a ChipLinkFabric as step schedules: each step every member sends its chunk once it
// has finished the previous step (sent and received), so a collective's time follows from the links'
// reservations, contention with other groups included. Closed forms without contention, for S bytes
// over N chips at bandwidth B and latency a per hop:
//   ring all-reduce 2(N-1) (S/N / B + a); ring reduce-scatter and all-gather (N-1) (S/N / B + a);
//   recursive halving-doubling ("tree") all-reduce 2 (N-1)/N S / B + 2 log2(N) a;
//   all-to-all on a switch (N-1) S/N / B + a; send/recv S / B + a.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "arch/timing/chip_link_fabric.h"

namespace npusim {

enum class CollectiveKind : uint8_t {
  kAllReduceRing,
  kAllReduceTree,
  kReduceScatter,
  kAllGather,
  kAllToAll,
  kSendRecv
};
const char* collective_kind_name(CollectiveKind kind);

struct StepTransfer {
  uint32_t src = 0;
  uint32_t dst = 0;
  Bytes bytes = 0;
};
using CollectiveSteps = std::vector<std::vector<StepTransfer>>;

// The steps of one collective over `group` (chip ids). `bytes`: the buffer each member reduces (all-
// reduce, reduce-scatter), the gathered output (all-gather), each member's send buffer spread evenly
// over the group (all-to-all), or the message (send/recv: group = {src, dst}). Tree needs a power-of-two
// group.
CollectiveSteps collective_steps(CollectiveKind kind, const std::vector<uint32_t>& group, Bytes bytes);

// Runs several groups' collectives together (the same step of every group before the next step), all
// members ready at start_ps plus the host overhead; returns when the last member is done.
uint64_t run_collectives(ChipLinkFabric& fabric, const std::vector<CollectiveSteps>& groups, uint64_t start_ps);

}  // namespace npusim
