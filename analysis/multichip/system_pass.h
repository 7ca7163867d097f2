// One forward pass (a prefill or a decode step) of a parallel plan over a multi-chip system, composed
// from one chip's simulated op times and the chip-to-chip links: each pipeline stage runs its
// micro-batches in order, each tensor-parallel group runs its collectives over the link reservations
// (collectives.h) between compute segments, and stages hand activations on by send/recv. No SystemC:
// the chips were simulated once per shard shape; here only their times are placed.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "arch/spec/system_config.h"
#include "arch/timing/chip_link_fabric.h"
#include "arch/timing/collectives.h"
#include "workloads/parallel/parallel_plan.h"

namespace npusim {

// A run of ops on one chip, then (when `collective`) a collective over the chip's TP group.
struct PassSegment {
  uint64_t compute_ps = 0;
  bool collective = false;
  CollectiveKind kind = CollectiveKind::kAllReduceRing;
  Bytes bytes = 0;  // as collective_steps() takes it
};

struct PassSegments {
  std::vector<PassSegment> first_stage;  // before the layers on stage 0 (the embedding)
  std::vector<PassSegment> layers;       // one stage's layers
  std::vector<PassSegment> last_stage;   // after the layers on the last stage (final norm, LM head)
  Bytes stage_send_bytes = 0;            // activations one micro-batch hands to the next stage
};

struct ChipPassStats {
  uint64_t compute_ps = 0;     // busy computing
  uint64_t collective_ps = 0;  // inside collectives (waiting on links included)
};

// A chip's compute segment or collective, recorded for timelines when asked.
struct ChipSpan {
  uint32_t chip = 0;
  uint64_t start_ps = 0;
  uint64_t end_ps = 0;
  const char* what = "compute";  // "compute" or a collective's kind name
};

struct CollectiveCount {
  uint64_t count = 0;
  Bytes bytes = 0;  // per member, as issued
};

struct SystemPassResult {
  uint64_t time_ps = 0;               // the pass, first micro-batch in to last out
  uint64_t compute_only_time_ps = 0;  // the same schedule with free links (no collectives, no sends)
  std::vector<ChipPassStats> chips;   // the plan's chips: replica-major, then stage, then TP rank
  std::vector<DirectedChipLink> links;
  std::map<std::string, CollectiveCount> collectives;  // by kind name
  double link_energy_j = 0.0;
  std::vector<ChipSpan> chip_spans;       // only when recorded
  std::vector<LinkBusySpan> link_spans;   // only when recorded
};

// Chip id of (replica, stage, tp rank).
uint32_t plan_chip(const ParallelPlan& plan, uint32_t replica, uint32_t stage, uint32_t rank);

// `record_spans`: keep every chip's segments and every link reservation (for --timeline).
SystemPassResult run_system_pass(const SystemConfig& system, const ParallelPlan& plan, uint32_t micro_batches,
                                 const PassSegments& segments, bool record_spans = false);

}  // namespace npusim
