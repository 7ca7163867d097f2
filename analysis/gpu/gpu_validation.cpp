#include "analysis/gpu/gpu_validation.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "analysis/gpu/gpu_model.h"
#include "workloads/zoo/effective_seq.h"
#include "workloads/zoo/model_zoo.h"

namespace npusim {
namespace {

const GpuCalibrationBenchmark& benchmark_of(const GpuCalibrationPoint& point) {
  for (const auto& benchmark : gpu_calibration_benchmarks()) {
    if (point.benchmark == benchmark.name) return benchmark;
  }
  return gpu_calibration_benchmarks().front();  // unreachable: the parser checked the name
}

// The benchmark's workload at the point's batch and precision. fp8 has no IR dtype: the workload is built
// in int8 (1-byte operands) and the GPU computes in fp8.
Workload point_workload(const GpuCalibrationPoint& point, GpuConfig& config, std::string& effective_seq) {
  WorkloadSpec spec = parse_workload_spec(benchmark_of(point).workload);
  spec.params["batch"] = std::to_string(point.max_batch);
  spec.params["dtype"] = point.precision == "fp8" ? "int8" : point.precision;
  if (point.precision == "fp8") config.compute_dtype = "fp8";
  if (!point.seq_dist.empty()) {
    const TokenDistribution distribution = parse_token_distribution(point.seq_dist, "seq_dist");
    effective_seq = apply_effective_seq(spec, distribution, "", "seq_dist").note();
  }
  return build_zoo_workload(spec, DType::kInt8);
}

GpuValidationRow validate_point(const GpuCalibrationPoint& point,
                                const std::function<GpuConfig(const std::string&)>& load_gpu) {
  GpuValidationRow row;
  row.point = point;
  GpuConfig config = load_gpu(point.gpu);
  const Workload workload = point_workload(point, config, row.effective_seq);
  const GpuRunEstimate run = estimate_gpu_workload(workload, config);
  const double batch = static_cast<double>(point.max_batch);
  row.modeled_samples_per_s = run.time_s > 0.0 ? batch / run.time_s : 0.0;
  row.error = (row.modeled_samples_per_s - point.samples_per_s) / point.samples_per_s;
  row.bound_holds = point.comparison == CalibrationComparison::kEqual ||
                    row.modeled_samples_per_s <= point.samples_per_s;
  row.assumptions = gpu_run_assumptions(run);
  row.average_power_w = run.average_power_w;
  row.power_cap_w = run.power_cap_w;
  const std::string dtype = config.compute_dtype.empty() ? point.precision : config.compute_dtype;
  const double peak_flops_per_s = gpu_peak(config, dtype).tflops * 1e12;
  row.roofline_samples_per_s = run.flops > 0.0 ? peak_flops_per_s / (run.flops / batch) : 0.0;
  return row;
}

}  // namespace

GpuValidation validate_gpu_calibration(const std::vector<GpuCalibrationPoint>& points,
                                       const std::function<GpuConfig(const std::string&)>& load_gpu) {
  GpuValidation out;
  double sum_abs = 0.0;
  for (const auto& point : points) {
    out.rows.push_back(validate_point(point, load_gpu));
    const GpuValidationRow& row = out.rows.back();
    out.bounds_hold = out.bounds_hold && row.bound_holds;
    out.physics_holds = out.physics_holds && row.average_power_w <= row.power_cap_w * (1.0 + 1e-9) &&
                        row.modeled_samples_per_s <= row.roofline_samples_per_s;
    if (point.comparison != CalibrationComparison::kEqual) continue;
    ++out.compared;
    sum_abs += std::fabs(row.error);
    if (out.compared == 1 || std::fabs(row.error) > out.worst_abs_error) {
      out.worst_abs_error = std::fabs(row.error);
      out.worst_index = out.rows.size() - 1;
    }
  }
  if (out.compared > 0) out.mean_abs_error = sum_abs / static_cast<double>(out.compared);
  return out;
}

std::string format_gpu_validation(const GpuValidation& v) {
  std::string out = fmt::format("{:<4} {:<38} {:<16} {:<10} {:<6} {:>12} {:>12} {:>8}  {}\n", "row", "system",
                                "gpu", "benchmark", "prec", "published/s", "modeled/s", "error", "comparison");
  for (const auto& row : v.rows) {
    const auto& p = row.point;
    const std::string comparison =
        p.comparison == CalibrationComparison::kEqual
            ? std::string("equal")
            : fmt::format("upper bound ({}): {}", p.accelerators, row.bound_holds ? "holds" : "VIOLATED");
    out += fmt::format("{:<4} {:<38.38} {:<16} {:<10} {:<6} {:>12.1f} {:>12.1f} {:>+7.1f}%  {}\n", p.row, p.system,
                       p.gpu, p.benchmark, p.precision, p.samples_per_s, row.modeled_samples_per_s,
                       100.0 * row.error, comparison);
    out += fmt::format("       assumed: {}; power {:.1f} of {:.0f} W; roofline {:.0f}/s\n", row.assumptions,
                       row.average_power_w, row.power_cap_w, row.roofline_samples_per_s);
    if (!row.effective_seq.empty()) out += "       " + row.effective_seq + "\n";
  }
  if (v.compared > 0) {
    const auto& worst = v.rows[v.worst_index];
    out += fmt::format("mean |error| {:.1f}%, worst {:.1f}% (row {}, {} {}) over {} compared points\n",
                       100.0 * v.mean_abs_error, 100.0 * v.worst_abs_error, worst.point.row, worst.point.gpu,
                       worst.point.benchmark, v.compared);
  }
  out += fmt::format("upper bounds {}; physics (power <= cap, throughput <= tensor roofline) {}\n",
                     v.bounds_hold ? "hold" : "VIOLATED", v.physics_holds ? "holds" : "VIOLATED");
  return out;
}

nlohmann::json gpu_validation_to_json(const GpuValidation& v) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : v.rows) {
    const auto& p = row.point;
    rows.push_back({{"row", p.row},
                    {"system", p.system},
                    {"gpu", p.gpu},
                    {"benchmark", p.benchmark},
                    {"precision", p.precision},
                    {"comparison", p.comparison == CalibrationComparison::kEqual ? "equal" : "upper_bound"},
                    {"published_samples_per_s", p.samples_per_s},
                    {"modeled_samples_per_s", row.modeled_samples_per_s},
                    {"relative_error", row.error},
                    {"bound_holds", row.bound_holds},
                    {"assumptions", row.assumptions},
                    {"effective_seq", row.effective_seq},
                    {"average_power_w", row.average_power_w},
                    {"power_cap_w", row.power_cap_w},
                    {"roofline_samples_per_s", row.roofline_samples_per_s}});
  }
  return {{"points", rows},
          {"compared", v.compared},
          {"mean_abs_relative_error", v.mean_abs_error},
          {"worst_abs_relative_error", v.worst_abs_error},
          {"bounds_hold", v.bounds_hold},
          {"physics_holds", v.physics_holds}};
}

}  // namespace npusim
