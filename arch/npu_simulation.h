// Entry point into the SystemC models, kept free of SystemC headers so callers compile fast.
// SystemC elaborates once per process: call simulate_npu at most once per process.
#pragma once

#include <cstddef>
#include <functional>
#include <vector>

#include "arch/isa/layer_stats.h"
#include "arch/spec/npu_config.h"
#include "arch/isa/span_recorder.h"
#include "arch/isa/command_stream.h"
#include "arch/isa/layer_feed.h"

namespace npusim {

// Runs the layers in order (a barrier between layers) on the configured NPU and returns their stats.
// With a `recorder`, every command, DRAM-channel and NoC-link reservation is also recorded as a span
// (then call recorder->finish()); without one, recording costs a null check.
// With `progress`, the kernel runs in slices of simulated time and calls it between slices with the
// layers finished so far and the total (the results are the same: slicing does not reorder events).
using SimulationProgress = std::function<void(size_t layers_finished, size_t layers)>;
NpuRunStats simulate_npu(const NpuConfig& config, const std::vector<LayerProgram>& layers,
                         SpanRecorder* recorder = nullptr, const SimulationProgress& progress = {});
// The same, with command streams the feed fills as the simulation reaches each layer (layer_feed.h):
// `layers` holds one entry per layer; each is checked when prepared.
NpuRunStats simulate_npu_fed(const NpuConfig& config, const std::vector<LayerProgram>& layers,
                             const LayerFeed& feed, SpanRecorder* recorder = nullptr,
                             const SimulationProgress& progress = {});

}  // namespace npusim
