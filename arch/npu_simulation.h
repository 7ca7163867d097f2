// Entry point into the SystemC models, kept free of SystemC headers so callers compile fast.
// SystemC elaborates once per process: call simulate_npu at most once per process.
#pragma once

#include <vector>

#include "arch/layer_stats.h"
#include "sim/core/npu_config.h"
#include "sim/core/span_recorder.h"
#include "workloads/mapper/command_stream.h"

namespace npusim {

// Runs the layers in order (a barrier between layers) on the configured NPU and returns their stats.
// With a `recorder`, every command, DRAM-channel and NoC-link reservation is also recorded as a span
// (then call recorder->finish()); without one, recording costs a null check.
NpuRunStats simulate_npu(const NpuConfig& config, const std::vector<LayerProgram>& layers,
                         SpanRecorder* recorder = nullptr);

}  // namespace npusim
