// L2 residency of activations between kernels: hits, evictions with write-back, dead tensors, and the
// effect on a workload's DRAM traffic.
#include <doctest/doctest.h>

#include "analysis/gpu/gpu_l2_residency.h"
#include "analysis/gpu/gpu_model.h"
#include "tests/support/test_ops.h"

using namespace npusim;

namespace {

GpuKernelTensors kernel(std::vector<std::pair<size_t, double>> inputs, double output, size_t last_reader) {
  return GpuKernelTensors{std::move(inputs), output, last_reader};
}

Operator fc(const std::string& name, uint64_t m, uint64_t n, uint64_t k, std::vector<uint32_t> inputs) {
  Operator op = npusim_test::fc_op(name, m, n, k, DType::kFp16);
  op.inputs = std::move(inputs);
  return op;
}

}  // namespace

TEST_CASE("l2 residency: a chain of small tensors never touches DRAM between kernels") {
  // k0 writes 10 B read by k1; k1 writes 10 B read by k2; k2's output has no reader (the result).
  const auto traffic = simulate_l2_residency(
      {kernel({}, 10, 1), kernel({{0, 10}}, 10, 2), kernel({{1, 10}}, 10, 2)}, 100);
  CHECK(traffic[0].hit_bytes == 10);  // its write stays in L2
  CHECK(traffic[1].hit_bytes == 20);  // its read and its write
  CHECK(traffic[2].hit_bytes == 10);  // its read; the result goes to DRAM
  for (const auto& t : traffic) CHECK(t.writeback_bytes == 0);
}

TEST_CASE("l2 residency: a tensor larger than the budget streams through DRAM") {
  const auto traffic = simulate_l2_residency({kernel({}, 200, 1), kernel({{0, 200}}, 0, 1)}, 100);
  CHECK(traffic[0].hit_bytes == 0);
  CHECK(traffic[1].hit_bytes == 0);
}

TEST_CASE("l2 residency: evicting a live tensor writes it back, a dead one frees its space") {
  // Budget 15 B. k0 and k1 each write 10 B that k2 reads. k1's write overflows the budget and evicts k0's
  // tensor (still live): 10 B written back, and k2 finds only k1's output in L2.
  const auto live = simulate_l2_residency(
      {kernel({}, 10, 2), kernel({}, 10, 2), kernel({{0, 10}, {1, 10}}, 0, 2)}, 15);
  CHECK(live[1].writeback_bytes == 10);
  CHECK(live[1].hit_bytes == 10);
  CHECK(live[2].hit_bytes == 10);
  // If k1 reads k0's tensor as its last reader, that tensor is dead once k1 runs: k1's output takes its
  // place with no write-back.
  const auto dead = simulate_l2_residency({kernel({}, 10, 1), kernel({{0, 10}}, 10, 2), kernel({{1, 10}}, 0, 2)}, 15);
  CHECK(dead[1].writeback_bytes == 0);
  CHECK(dead[1].hit_bytes == 20);
  CHECK(dead[2].hit_bytes == 10);
}

TEST_CASE("l2 residency: a workload's intermediate activation skips DRAM when it fits") {
  // fc0 (64x256x256) -> fc1 (64x256x256), fp16. fc0's output, 64·256·2 = 32 KiB, fits a 1 MiB L2 at half:
  // fc0 does not write it and fc1 does not read it. Each kernel keeps its weights (256·256·2 B); fc0 still
  // reads the network input and fc1 still writes the result.
  Workload workload;
  workload.ops = {fc("fc0", 64, 256, 256, {}), fc("fc1", 64, 256, 256, {0})};
  GpuConfig config;
  config.l2_bytes = 1 * kMiB;
  config.engine_batch_search = false;
  const double activation = 64.0 * 256 * 2;
  const double weights = 256.0 * 256 * 2;
  const GpuRunEstimate resident = estimate_gpu_workload(workload, config);
  CHECK(resident.l2_residency);
  CHECK(resident.ops[0].dram_bytes == activation + weights);
  CHECK(resident.ops[1].dram_bytes == weights + activation);
  CHECK(resident.l2_hit_bytes == 2 * activation);
  config.l2_residency = false;
  const GpuRunEstimate streamed = estimate_gpu_workload(workload, config);
  CHECK(streamed.ops[0].dram_bytes == 2 * activation + weights);
  CHECK(streamed.l2_hit_bytes == 0);
}
