// Frames of periodic streams as work for the serving engine (serving_engine.h): cameras release frames
// every period, the scheduler keeps the ready jobs in policy order and runs the most urgent one a piece
// at a time; the engine advances the clock and interleaves LLM iterations.
//   priority: fixed priorities (lower value first), then arrival.   edf: earliest absolute deadline first,
//   then priority, then arrival.   fifo: arrival order (the GPU side: MPS shares the SMs among processes
//   with neither priorities nor preemption, which in throughput is one work-conserving FIFO server).
// Preemption (preemptive policies): only at layer boundaries. The running layer always finishes; at its
// end a more urgent ready job takes over and the preempted job waits in the ready set. Layers write their
// outputs to DRAM (the simulated mapping does), so a switch moves no extra data; `preemption_cost_s` is a
// fixed switch time added to the preempted job when it resumes (default 0).
// Batching (max_batch > 1): when the head job is dispatched unstarted, the next unstarted ready frames of
// the same stream join it, in policy order, while the batch's latency from now still meets the earliest
// deadline among its frames (deadline_checked) or unconditionally up to max_batch (the GPU's dynamic
// batching). A pipeline's later stages run at batch = the objects the batch's frames hold.
// Drop rule: a frame that, at its dispatch, could no longer meet its deadline even alone (now + its own
// latency > deadline) is dropped, not run; it counts as a missed deadline.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <queue>
#include <random>
#include <set>
#include <vector>

#include "analysis/serving/frame_cost_table.h"
#include "workloads/traffic/stream_spec.h"

namespace npusim {

enum class FramePolicy { kPriority, kEdf, kFifo };
const char* frame_policy_name(FramePolicy policy);

struct FrameSchedulerConfig {
  FramePolicy policy = FramePolicy::kEdf;
  bool preemptive = true;
  uint32_t max_batch = 1;
  bool deadline_checked = true;  // batching only while deadlines hold (else: fill up to max_batch)
  double preemption_cost_s = 0.0;
  double duration_s = 1.0;  // frames arrive in [0, duration_s); the run drains them all
  uint64_t seed = 1;
};

struct StreamRecord {
  std::vector<double> latencies_s;  // completed frames, arrival to completion
  uint64_t frames = 0;              // arrived
  uint64_t dropped = 0;
  uint64_t late = 0;  // completed after their deadline
  uint64_t preemptions = 0;
  uint64_t batches = 0;   // jobs that ran
  double energy_j = 0.0;  // of the jobs that ran
};

class FrameScheduler {
 public:
  // stage_models[i]: the cost-table model of stream i's first model, then of each pipeline stage.
  FrameScheduler(std::vector<StreamSpec> streams, std::vector<std::vector<size_t>> stage_models,
                 const FrameCostTable& costs, FrameSchedulerConfig config);

  double next_arrival_s() const {
    return arrivals_.empty() ? std::numeric_limits<double>::infinity() : arrivals_.top().time_s;
  }
  void admit_until(double now);
  bool has_work() const { return current_ >= 0 || !ready_.empty(); }
  bool done() const { return arrivals_.empty() && !has_work(); }
  // Runs the most urgent work from `now` to its first layer boundary at or after `stop_s` (or to its end;
  // non-preemptive: to its end) and returns the time it got to.
  double run_segment(double now, double stop_s);

  const std::vector<StreamSpec>& streams() const { return streams_; }
  const std::vector<StreamRecord>& records() const { return records_; }
  double busy_s() const { return busy_s_; }
  double energy_j() const { return energy_j_; }

 private:
  struct Arrival {
    double time_s;
    uint32_t stream, camera;
    uint64_t frame;
    bool operator>(const Arrival& o) const {
      return time_s != o.time_s ? time_s > o.time_s
                                : (stream != o.stream ? stream > o.stream : camera > o.camera);
    }
  };
  struct Frame {
    double arrival_s = 0.0, deadline_s = 0.0;
    std::array<uint16_t, kMaxPipelineStages> objects{};
  };
  struct Job {
    uint32_t stream = 0;
    std::vector<Frame> frames;
    std::vector<const FrameRunCost*> stages;  // filled at dispatch
    size_t stage = 0;
    double stage_elapsed_s = 0.0;  // within `stage`
    double penalty_s = 0.0;        // preemption switch time still to pay
    bool started = false;
    double key1 = 0.0, key2 = 0.0;
    uint64_t sequence = 0;
  };
  using ReadyKey = std::tuple<double, double, uint64_t, size_t>;  // key1, key2, sequence, job slot

  void release(const Arrival& arrival);
  ReadyKey key_of(size_t slot) const;
  void dispatch(double now);
  void fill_batch(Job& job, double now);
  std::vector<const FrameRunCost*> stage_costs(const Job& job) const;
  double job_time_s(const Job& job) const;
  void complete(double now);
  size_t new_slot();

  std::vector<StreamSpec> streams_;
  std::vector<std::vector<size_t>> stage_models_;
  const FrameCostTable& costs_;
  FrameSchedulerConfig config_;
  std::vector<std::mt19937_64> rngs_;  // per stream: jitter and object counts
  std::priority_queue<Arrival, std::vector<Arrival>, std::greater<Arrival>> arrivals_;
  std::vector<Job> jobs_;
  std::vector<size_t> free_slots_;
  std::set<ReadyKey> ready_;
  long current_ = -1;  // job slot running (between segments), -1 none
  uint64_t sequence_ = 0;
  std::vector<StreamRecord> records_;
  double busy_s_ = 0.0, energy_j_ = 0.0;
};

}  // namespace npusim
