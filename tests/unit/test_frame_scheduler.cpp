// Periodic frames on the serving engine (analysis/serving/frame_scheduler.h) over frame costs the tests
// write down: every layer takes a round number of seconds, so every time below is exact in binary.
#include <doctest/doctest.h>

#include "analysis/serving/serving_engine.h"
#include "analysis/serving/stream_metrics.h"

using namespace npusim;

namespace {

class IdleOnly final : public StepCostModel {
 public:
  StepCost cost(const StepShape& shape) const override {
    const double t = 1.0 * static_cast<double>(shape.total_tokens());  // 1 s per token, for the mixed test
    return {t, 2.0 * t};
  }
  double idle_power_w() const override { return 1.0; }
};

// `layers` layers of `layer_s` seconds each, energy 3 J per second of work.
FrameRunCost layers_of(int layers, double layer_s) {
  FrameRunCost c;
  for (int k = 1; k <= layers; ++k) c.layer_end_s.push_back(k * layer_s);
  c.time_s = layers * layer_s;
  c.energy_j = 3.0 * c.time_s;
  return c;
}

StreamSpec stream(const std::string& name, double rate_hz, uint32_t count, int32_t priority = 0) {
  StreamSpec s;
  s.name = name;
  s.model = name;
  s.rate_hz = rate_hz;
  s.count = count;
  s.deadline_s = 1.0 / rate_hz;
  s.priority = priority;
  return s;
}

struct Outcome {
  std::vector<StreamRecord> records;
  ServingRun run;
  double busy_s, energy_j;
};

Outcome run_frames(const std::vector<StreamSpec>& streams, const FrameCostTable& table,
                   FrameSchedulerConfig config, const std::vector<ServeRequest>& requests = {}) {
  std::vector<std::vector<size_t>> stages;
  for (size_t i = 0; i < streams.size(); ++i) stages.push_back({i});
  FrameScheduler frames(streams, stages, table, config);
  SchedulerConfig llm;
  llm.kv_blocks = 1000;
  const ServingRun run = run_serving(requests, llm, IdleOnly(), false, &frames);
  return {frames.records(), run, frames.busy_s(), frames.energy_j()};
}

FrameSchedulerConfig edf(double duration_s, uint32_t max_batch = 1) {
  FrameSchedulerConfig c;
  c.policy = FramePolicy::kEdf;
  c.duration_s = duration_s;
  c.max_batch = max_batch;
  return c;
}

}  // namespace

TEST_CASE("batch grid: 1, 2, 3, 4, 6, 8, ... ending at the largest batch") {
  CHECK(frame_batch_grid(1) == std::vector<uint32_t>{1});
  CHECK(frame_batch_grid(8) == std::vector<uint32_t>{1, 2, 3, 4, 6, 8});
  CHECK(frame_batch_grid(13) == std::vector<uint32_t>{1, 2, 3, 4, 6, 8, 12, 13});
}

TEST_CASE("frame cost table: exact at simulated batches, linear between") {
  FrameCostTable table;
  table.add(0, 2, layers_of(2, 1.0));  // 2 s, 6 J
  table.add(0, 4, layers_of(2, 2.0));  // 4 s, 12 J
  CHECK(table.at(0, 2).time_s == 2.0);
  // batch 3 halfway: (2 + 4) / 2 = 3 s, (6 + 12) / 2 = 9 J; layer ends scaled from batch 2 by 3/2: 1.5, 3
  CHECK(table.at(0, 3).time_s == doctest::Approx(3.0));
  CHECK(table.at(0, 3).energy_j == doctest::Approx(9.0));
  CHECK(table.at(0, 3).layer_end_s[0] == doctest::Approx(1.5));
  CHECK_THROWS_AS(table.at(0, 5), std::out_of_range);
}

TEST_CASE("one stream on an idle device: every frame's latency is the model's latency") {
  FrameCostTable table;
  table.add(0, 1, layers_of(5, 0.001));  // 5 ms per frame
  // 30 Hz for 1 s: frames at 0, 1/30, ... 29/30 -> 30 frames, each alone, latency 5 ms, no miss
  const Outcome out = run_frames({stream("cam", 30.0, 1)}, table, edf(1.0));
  const StreamRecord& r = out.records[0];
  CHECK(r.frames == 30);
  CHECK(r.latencies_s.size() == 30);
  for (double latency : r.latencies_s) CHECK(latency == doctest::Approx(0.005).epsilon(1e-12));
  CHECK(deadline_miss_ratio(r) == 0.0);
  // busy 30 x 5 ms = 0.15 s; energy 3 J/s x 0.15 s = 0.45 J of frames
  CHECK(out.busy_s == doctest::Approx(0.15));
  CHECK(out.energy_j == doctest::Approx(0.45));
}

TEST_CASE("serial time-sharing, no batching: zero misses up to floor(period / latency) cameras") {
  FrameCostTable table;
  table.add(0, 1, layers_of(4, 1.0));  // L = 4 s per frame
  // Period P = 30 s (rate 1/30 Hz), all cameras aligned: camera n finishes at n x L, so n x 4 <= 30 holds
  // up to n = floor(30 / 4) = 7; the 8th frame would end at 32 > 30 and is dropped at its dispatch (28 + 4 >
  // 30).
  uint32_t max_zero_miss = 0;
  for (uint32_t n = 1; n <= 12; ++n) {
    const Outcome out = run_frames({stream("cam", 1.0 / 30.0, n)}, table, edf(90.0));
    if (meets_every_deadline(out.records[0])) max_zero_miss = n;
  }
  CHECK(max_zero_miss == 7);
  // With 9 cameras: per period 7 run, 2 dropped; 3 periods -> 6 dropped of 27 frames
  const Outcome nine = run_frames({stream("cam", 1.0 / 30.0, 9)}, table, edf(90.0));
  CHECK(nine.records[0].frames == 27);
  CHECK(nine.records[0].dropped == 6);
  CHECK(nine.records[0].late == 0);
}

TEST_CASE("EDF meets every deadline at utilisation 1; fixed priorities do not") {
  // A: period 4 s, 2 layers of 1 s (U = 1/2). B: period 6 s, 3 layers of 1 s (U = 1/2). Total U = 1; every
  // arrival and layer boundary is on the 1 s grid, so layer-boundary preemption is full preemption here.
  FrameCostTable table;
  table.add(0, 1, layers_of(2, 1.0));
  table.add(1, 1, layers_of(3, 1.0));
  const std::vector<StreamSpec> streams{stream("a", 0.25, 1, 0), stream("b", 1.0 / 6.0, 1, 1)};
  const Outcome by_deadline = run_frames(streams, table, edf(24.0));
  CHECK(by_deadline.records[0].frames == 6);
  CHECK(by_deadline.records[1].frames == 4);
  CHECK(meets_every_deadline(by_deadline.records[0]));
  CHECK(meets_every_deadline(by_deadline.records[1]));
  CHECK(by_deadline.busy_s == doctest::Approx(24.0));  // U = 1: never idle
  // Fixed priority, A first: B runs 2-4, A preempts at 4 (a layer boundary) and runs 4-6, B ends at 7 > 6.
  FrameSchedulerConfig fixed = edf(24.0);
  fixed.policy = FramePolicy::kPriority;
  const Outcome by_priority = run_frames(streams, table, fixed);
  CHECK(meets_every_deadline(by_priority.records[0]));
  CHECK(by_priority.records[1].late >= 1);
  CHECK(by_priority.records[1].latencies_s[0] == doctest::Approx(7.0));
  CHECK(by_priority.records[1].preemptions >= 1);
}

TEST_CASE("batching frames of several cameras keeps deadlines that serial service misses") {
  FrameCostTable table;
  table.add(0, 1, layers_of(1, 10.0));  // one frame: 10 s
  table.add(0, 4, layers_of(1, 16.0));  // four frames together: 16 s
  // 4 cameras, period and deadline 20 s, 1 period. Serial: ends at 10, 20 (met), then 20 + 10 > 20: two
  // dropped.
  const Outcome serial = run_frames({stream("cam", 0.05, 4)}, table, edf(20.0));
  CHECK(serial.records[0].dropped == 2);
  // Batch of 4 (batches 2 and 3 interpolate: 12 and 14 s, all <= 20): one batch of 4 ends at 16 <= 20.
  const Outcome batched = run_frames({stream("cam", 0.05, 4)}, table, edf(20.0, 4));
  CHECK(meets_every_deadline(batched.records[0]));
  CHECK(batched.records[0].batches == 1);
  for (double latency : batched.records[0].latencies_s) CHECK(latency == doctest::Approx(16.0));
}

TEST_CASE("frames and LLM requests share the engine: a ready frame runs before the next iteration") {
  FrameCostTable table;
  table.add(0, 1, layers_of(2, 1.0));  // 2 s per frame
  // One frame at 0 (rate 0.1 Hz, 1 s window); one request at 0 with 3 input tokens and 1 output token.
  // The frame runs 0-2 (latency 2), then the prefill of 3 tokens at 1 s per token: first token at 5.
  const Outcome out = run_frames({stream("cam", 0.1, 1)}, table, edf(1.0), {{"r0", 0.0, 3, 1, 0, 0}});
  CHECK(out.records[0].latencies_s.at(0) == 2.0);
  CHECK(out.run.requests[0].first_token_s == 5.0);
}

TEST_CASE("a pipeline: the classifier runs once per frame at batch = the frame's objects") {
  FrameCostTable table;
  table.add(0, 1, layers_of(3, 1.0));  // detector: 3 s
  table.add(1, 1, layers_of(1, 1.0));  // classifier at batch 1: 1 s
  table.add(1, 2, layers_of(1, 1.5));  // at batch 2: 1.5 s
  StreamSpec s = stream("cam", 0.1, 1);
  PipelineStage classify;
  classify.model = "cls";
  classify.objects.low = classify.objects.high = 2;
  classify.objects.max = 2;  // fixed: 2 objects every frame
  s.pipeline.push_back(classify);
  FrameScheduler frames({s}, {{0, 1}}, table, edf(20.0));
  const ServingRun run = run_serving({}, SchedulerConfig{}, IdleOnly(), false, &frames);
  // frames at 0 and 10 s, each 3 s of detector + 1.5 s of classifier on its 2 objects = 4.5 s
  REQUIRE(frames.records()[0].latencies_s.size() == 2);
  for (double latency : frames.records()[0].latencies_s) CHECK(latency == 4.5);
  CHECK(run.duration_s == 14.5);
}

TEST_CASE("the GPU side: FIFO and non-preemptive, an urgent frame waits for the job in flight") {
  FrameCostTable table;
  table.add(0, 1, layers_of(4, 1.0));  // slow stream: 4 s
  table.add(1, 1, layers_of(1, 1.0));  // urgent stream: 1 s
  StreamSpec slow = stream("slow", 0.1, 1, 5);
  StreamSpec urgent = stream("urgent", 0.1, 1, 0);
  urgent.phase_s = 1.0;
  urgent.deadline_s = 2.0;  // due at 3, before slow's 10
  FrameSchedulerConfig fifo = edf(5.0);
  fifo.policy = FramePolicy::kFifo;
  fifo.preemptive = false;
  // GPU: slow runs 0-4 unbroken; at 4 the urgent frame (due at 3) can no longer make it and is dropped.
  const Outcome gpu = run_frames({slow, urgent}, table, fifo);
  CHECK(gpu.records[0].latencies_s.at(0) == 4.0);
  CHECK(gpu.records[1].dropped == 1);
  // NPU (EDF, preemptive): slow is preempted at its layer boundary at 1, urgent runs 1-2 (latency 1),
  // slow resumes 2-5.
  const Outcome npu = run_frames({slow, urgent}, table, edf(5.0));
  CHECK(npu.records[1].latencies_s.at(0) == 1.0);
  CHECK(npu.records[0].latencies_s.at(0) == 5.0);  // 4 s of work plus the 1 s it was preempted for
  CHECK(npu.records[0].preemptions == 1);
}
