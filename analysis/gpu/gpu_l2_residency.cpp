#include "analysis/gpu/gpu_l2_residency.h"

#include <algorithm>

namespace npusim {
namespace {

struct Resident {
  size_t kernel;
  double bytes;
};

}  // namespace

std::vector<GpuL2Traffic> simulate_l2_residency(const std::vector<GpuKernelTensors>& kernels,
                                                double capacity_bytes) {
  std::vector<GpuL2Traffic> traffic(kernels.size());
  std::vector<Resident> lru;  // least recently used first
  double used = 0.0;
  for (size_t k = 0; k < kernels.size(); ++k) {
    for (const auto& [producer, bytes] : kernels[k].inputs) {
      // An init-capture: clang (the fuzz build) cannot capture a structured binding before C++20.
      const auto it =
          std::find_if(lru.begin(), lru.end(), [wanted = producer](const Resident& r) { return r.kernel == wanted; });
      if (it == lru.end()) continue;
      traffic[k].hit_bytes += std::min(bytes, it->bytes);
      const Resident touched = *it;
      lru.erase(it);
      lru.push_back(touched);
    }
    // Tensors whose last reader has run are dead: their buffers are reused.
    for (auto it = lru.begin(); it != lru.end();) {
      if (kernels[it->kernel].last_reader <= k) {
        used -= it->bytes;
        it = lru.erase(it);
      } else {
        ++it;
      }
    }
    const double out = kernels[k].output_bytes;
    if (out <= 0.0 || kernels[k].last_reader <= k || out > capacity_bytes) continue;
    traffic[k].hit_bytes += out;
    lru.push_back({k, out});
    used += out;
    while (used > capacity_bytes && lru.front().kernel != k) {
      traffic[k].writeback_bytes += lru.front().bytes;  // still live: written back, read later from DRAM
      used -= lru.front().bytes;
      lru.erase(lru.begin());
    }
  }
  return traffic;
}

}  // namespace npusim
