// How a simulation gets its layers' command streams when they are not all built before it starts.
// The runner keeps one LayerProgram per layer from the start; a feed fills a layer's command streams
// (and what describes it: name, mapping, MAC count) when the simulation first reaches it, and may
// drop the streams once every core has finished it. Memory then holds a few layers' streams however
// long the run (an LLM decode with every step simulated is hundreds of thousands of layers).
#pragma once

#include <cstddef>
#include <functional>

#include "arch/isa/command_stream.h"

namespace npusim {

struct LayerFeed {
  std::function<void(size_t layer)> prepare;   // before any core starts `layer`; layers come in order
  std::function<void(size_t layer)> finished;  // once every core has finished `layer`
};

// Frees a finished layer's command streams, keeping what describes it (name, mapping, MACs, and the
// number of cores it was split over).
void release_commands(LayerProgram& program);

}  // namespace npusim
