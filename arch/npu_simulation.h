// Entry point into the SystemC models, kept free of SystemC headers so callers compile fast.
// SystemC elaborates once per process: call simulate_npu at most once per process.
#pragma once

#include <vector>

#include "arch/isa/layer_stats.h"
#include "arch/spec/npu_config.h"
#include "arch/isa/span_recorder.h"
#include "arch/isa/command_stream.h"

namespace npusim {

// Runs the layers in order (a barrier between layers) on the configured NPU and returns their stats.
// With a `recorder`, every command, DRAM-channel and NoC-link reservation is also recorded as a span
// (then call recorder->finish()); without one, recording costs a null check.
NpuRunStats simulate_npu(const NpuConfig& config, const std::vector<LayerProgram>& layers,
                         SpanRecorder* recorder = nullptr);

}  // namespace npusim
