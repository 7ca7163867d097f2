// `npusim serve` with a stream traffic file: plans the streams (stream_setup.h), simulates their frame
// costs once (stream_costs.h), schedules them on the NPU (--policy) and on the GPU model through the
// serving engine, optionally bisects a stream's camera count (--find-max-streams), and writes result.json.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>

#include "analysis/serving/serving_engine.h"
#include "arch/spec/npu_config.h"
#include "sim/serve/serve_run.h"
#include "workloads/traffic/stream_spec.h"

namespace npusim {

// Streams alone.
int stream_serve_command(const ServeOptions& options, const TrafficFile& traffic);

// Streams beside LLM requests (the LLM serve command drives it): their frame schedulers for the NPU's and
// the GPU's engine runs (time-sharing only: priority or edf on the NPU, FIFO on the GPU), then their
// metrics from the runs. Device energy and utilisation then cover the LLM iterations too.
class StreamSide {
 public:
  StreamSide(const ServeOptions& options, const TrafficFile& traffic, const NpuConfig& config,
             const std::string& dtype);
  ~StreamSide();
  FrameScheduler* npu_frames();
  FrameScheduler* gpu_frames();  // null with --gpu none
  // Adds streams, gpu_streams, stream_devices and stream_model to `result`.
  void report(nlohmann::ordered_json& result, const ServingRun& npu_run, const ServingRun* gpu_run) const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace npusim
