// L2 residency of activations between kernels, as TensorRT's INT8 engines get on GPUs with large L2s.
//
// Kernels run in order. A kernel's output that fits the residency budget (l2_bytes x l2_residency_fraction;
// the rest of L2 holds streaming weights) stays in L2: the write and every later read of it skip DRAM.
// Resident tensors are evicted least recently used first; one evicted while a later kernel still reads it
// is written back (and that kernel reads it from DRAM). A tensor past its last reader frees its space with
// no write-back: the engine reuses activation buffers, so its dirty lines are overwritten in L2. Outputs
// nobody reads (the network's result) and tensors larger than the budget go to DRAM.
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace npusim {

struct GpuKernelTensors {
  std::vector<std::pair<size_t, double>> inputs;  // (producing kernel, bytes read), earlier kernels only
  double output_bytes = 0.0;
  size_t last_reader = 0;  // the last kernel that reads the output; its own index when none does
};

struct GpuL2Traffic {
  double hit_bytes = 0.0;        // reads and the output write served by L2
  double writeback_bytes = 0.0;  // live tensors evicted while this kernel ran
};

std::vector<GpuL2Traffic> simulate_l2_residency(const std::vector<GpuKernelTensors>& kernels,
                                                double capacity_bytes);

}  // namespace npusim
