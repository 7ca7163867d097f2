// Whole-workload GPU estimates: elementwise fusion, L2 residency of activations, the sustained clock
// under the power cap, the offline engine batch, and the run's totals.
#include <fmt/format.h>

#include <algorithm>
#include <variant>

#include "analysis/gpu/gpu_dvfs.h"
#include "analysis/gpu/gpu_l2_residency.h"
#include "analysis/gpu/gpu_model.h"

namespace npusim {
namespace {

constexpr double kFlopsPerTflop = 1e12;

double as_double(uint64_t value) { return static_cast<double>(value); }

std::vector<uint32_t> consumer_counts(const Workload& workload) {
  std::vector<uint32_t> counts(workload.ops.size(), 0);
  for (const auto& op : workload.ops) {
    std::vector<uint32_t> producers = op.inputs;
    std::sort(producers.begin(), producers.end());
    producers.erase(std::unique(producers.begin(), producers.end()), producers.end());
    for (uint32_t producer : producers) {
      if (producer < counts.size()) ++counts[producer];
    }
  }
  return counts;
}

// Output bytes of `op` in the GPU's dtype.
double gpu_output_bytes(const Operator& op, const GpuOpEstimate& row) {
  return as_double(op_output_elements(op)) * as_double(gpu_dtype_bytes(row.dtype));
}

// Plans one row per operator; elementwise epilogues join their producer's kernel (fusion rule,
// gpu_model.h). Returns, per op, the index of the kernel (row) it runs in.
std::vector<size_t> plan_rows(const Workload& workload, const GpuConfig& config,
                              std::vector<GpuOpEstimate>& rows) {
  const std::vector<uint32_t> consumers = consumer_counts(workload);
  std::vector<size_t> kernel_of(workload.ops.size());
  for (size_t index = 0; index < workload.ops.size(); ++index) {
    const Operator& op = workload.ops[index];
    const uint32_t producer = op.inputs.empty() ? 0 : op.inputs.front();
    const bool fuse = config.fuse_elementwise && op.kind == OpKind::kElementwise && !op.inputs.empty() &&
                      producer < index && consumers[producer] == 1 &&
                      op_output_elements(workload.ops[producer]) == op_output_elements(op);
    if (!fuse) {
      kernel_of[index] = index;
      rows.push_back(plan_gpu_op(op, config));
      continue;
    }
    const size_t kernel = kernel_of[producer];  // a chain of epilogues joins the same kernel
    kernel_of[index] = kernel;
    GpuOpEstimate row;
    row.name = op.name;
    row.op_class = GpuOpClass::kFusedEpilogue;
    row.dtype = rows[kernel].dtype;
    row.fused_into = static_cast<int64_t>(kernel);
    const auto& elt = std::get<EltwiseParams>(op.params);
    rows[kernel].dram_bytes += gpu_output_bytes(op, row) * (std::max<uint32_t>(elt.inputs, 1) - 1);
    rows.push_back(row);
  }
  return kernel_of;
}

// Removes the activation traffic that stays in L2 (gpu_l2_residency.h) from the kernels' DRAM bytes.
void apply_l2_residency(const Workload& workload, const GpuConfig& config, const std::vector<size_t>& kernel_of,
                        std::vector<GpuOpEstimate>& rows) {
  const size_t count = rows.size();
  std::vector<GpuKernelTensors> kernels(count);
  for (size_t k = 0; k < count; ++k) kernels[k].last_reader = k;
  for (size_t index = 0; index < count; ++index) {
    const Operator& op = workload.ops[index];
    const size_t k = kernel_of[index];
    kernels[k].output_bytes = gpu_output_bytes(op, rows[index]);  // the chain's last op writes it
    const double read_limit = as_double(op_input_bytes(op)) * as_double(gpu_dtype_bytes(rows[k].dtype)) /
                              as_double(dtype_bytes(op.dtype));
    for (uint32_t producer : op.inputs) {
      if (producer >= index || kernel_of[producer] == k) continue;
      const size_t source = kernel_of[producer];
      auto& inputs = kernels[k].inputs;
      if (std::any_of(inputs.begin(), inputs.end(), [&](const auto& in) { return in.first == source; })) continue;
      inputs.emplace_back(source, std::min(read_limit, gpu_output_bytes(workload.ops[producer], rows[producer])));
      kernels[source].last_reader = std::max(kernels[source].last_reader, k);
    }
  }
  const double capacity = as_double(config.l2_bytes) * config.l2_residency_fraction;
  const std::vector<GpuL2Traffic> traffic = simulate_l2_residency(kernels, capacity);
  for (size_t k = 0; k < count; ++k) {
    if (rows[k].op_class == GpuOpClass::kFusedEpilogue) continue;
    const double hit = std::min(traffic[k].hit_bytes, rows[k].dram_bytes);
    rows[k].l2_hit_bytes = hit;
    rows[k].dram_bytes += traffic[k].writeback_bytes - hit;
  }
}

GpuRunEstimate estimate_one_engine_run(const Workload& workload, const GpuConfig& config) {
  GpuRunEstimate run;
  run.gpu = config.name;
  run.overhead_mode = kernel_overhead_mode_name(config.kernel_overhead.mode);
  run.kernel_overhead_us = config.kernel_overhead.per_kernel_us();
  run.fuse_elementwise = config.fuse_elementwise;
  run.l2_residency = config.l2_residency && config.l2_residency_fraction > 0.0;
  run.tdp_w = config.tdp_w;
  run.power_cap_w = gpu_power_cap_w(config);
  run.power_mode = config.power_cap.mode;
  const std::vector<size_t> kernel_of = plan_rows(workload, config, run.ops);
  if (run.l2_residency) apply_l2_residency(workload, config, kernel_of, run.ops);
  run.clock_ratio = solve_sustained_clock(run.ops, config);
  run.clock_mhz = config.clock_mhz * config.clock_derate * run.clock_ratio;
  return run;
}

// The batch every op shares, or 0 when they differ (then no engine batch is searched).
uint32_t uniform_batch(const Workload& workload) {
  if (workload.ops.empty()) return 0;
  const uint32_t batch = workload.ops.front().batch;
  for (const auto& op : workload.ops) {
    if (op.batch != batch) return 0;
  }
  return batch;
}

Workload with_batch(const Workload& workload, uint32_t batch) {
  Workload out = workload;
  for (auto& op : out.ops) op.batch = batch;
  return out;
}

void scale_rows(GpuRunEstimate& run, double runs) {
  for (auto& row : run.ops) {
    for (double* value : {&row.flops, &row.compute_work, &row.dram_bytes, &row.l2_hit_bytes, &row.compute_s,
                          &row.memory_s, &row.overhead_s, &row.time_s, &row.energy_j}) {
      *value *= runs;
    }
  }
}

void add_totals(GpuRunEstimate& run, uint64_t engine_runs) {
  for (const auto& row : run.ops) {
    if (row.op_class != GpuOpClass::kFusedEpilogue) run.kernels += engine_runs;
    run.flops += row.flops;
    run.time_s += row.time_s;
    run.energy_j += row.energy_j;
    run.l2_hit_bytes += row.l2_hit_bytes;
  }
  if (run.time_s > 0.0) {
    run.average_power_w = run.energy_j / run.time_s;
    run.achieved_tflops = run.flops / run.time_s / kFlopsPerTflop;
    run.tflops_per_w_at_tdp = run.achieved_tflops / run.tdp_w;
  }
  if (run.energy_j > 0.0) run.tflops_per_w = run.flops / run.energy_j / kFlopsPerTflop;
}

}  // namespace

GpuRunEstimate estimate_gpu_workload(const Workload& workload, const GpuConfig& config) {
  const uint32_t batch = uniform_batch(workload);
  GpuRunEstimate best = estimate_one_engine_run(workload, config);
  best.batch = best.engine_batch = batch;  // 0: operators with different batches, run as given
  double best_time_s = 0.0;
  for (const auto& row : best.ops) best_time_s += row.time_s;
  if (config.engine_batch_search && batch > 1) {
    for (uint32_t engine_batch = batch; engine_batch % 2 == 0;) {
      engine_batch /= 2;
      GpuRunEstimate candidate = estimate_one_engine_run(with_batch(workload, engine_batch), config);
      double time_s = 0.0;
      for (const auto& row : candidate.ops) time_s += row.time_s;
      time_s *= as_double(batch / engine_batch);
      if (time_s < best_time_s) {
        best = std::move(candidate);
        best.batch = batch;
        best.engine_batch = engine_batch;
        best_time_s = time_s;
      }
    }
  }
  const uint32_t runs = best.engine_batch > 0 ? best.batch / best.engine_batch : 1;
  if (runs > 1) scale_rows(best, as_double(runs));
  add_totals(best, runs);
  return best;
}

std::string gpu_run_assumptions(const GpuRunEstimate& e) {
  std::string cap = fmt::format("{:.0f} W", e.power_cap_w);
  if (!e.power_mode.empty()) cap += " mode " + e.power_mode;
  const std::string engine =
      e.batch > 0 ? fmt::format("engine batch {} of {}", e.engine_batch, e.batch) : "operator batches as given";
  return fmt::format(
      "{} overhead {:g} us/kernel, fusion {}, L2 residency {}, {}, sustained clock {:.0f} MHz ({:.0f}% of "
      "configured, cap {})",
      e.overhead_mode, e.kernel_overhead_us, e.fuse_elementwise ? "on" : "off", e.l2_residency ? "on" : "off",
      engine, e.clock_mhz, 100.0 * e.clock_ratio, cap);
}

}  // namespace npusim
