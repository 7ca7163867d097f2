// Power-capped clocks: the DVFS law, the L4's derived sustained clock, and Jetson power modes.
#include <doctest/doctest.h>

#include <cmath>

#include "analysis/gpu/gpu_dvfs.h"
#include "analysis/gpu/gpu_model.h"
#include "arch/spec/input_error.h"
#include "sim/io/config_loader.h"
#include "tests/support/test_ops.h"
#include "workloads/zoo/model_zoo.h"

using namespace npusim;

namespace {

GpuConfig load_gpu_preset(const std::string& name) {
  const ConfigDocument document = load_config_document(name, "gpu");
  return parse_gpu_config(document.document, document.file);
}

Operator gemm(uint64_t m, uint64_t n, uint64_t k, DType dtype) {
  return npusim_test::fc_op("gemm", m, n, k, dtype);
}

}  // namespace

TEST_CASE("dvfs: a compute-bound kernel over the cap slows to the f^3 solution") {
  // 100 TF fp16, fraction 0.8, one 128x128 tile per SM, no overhead, no memory power (w_memory 0).
  // Compute-bound at ratio r: time = work / (peak · r · 0.8), so u_compute = 0.8 r and
  // P(r) = 30 + 270 · 2.0 · 0.8 r · r^2 = 30 + 432 r^3. The 300 W cap gives r^3 = 270 / 432 = 0.625.
  GpuConfig config;
  config.sms = 4;
  config.peak_tensor_tflops = {{"fp16", 100.0}};
  config.dram_bandwidth_gbytes_per_s = 1e6;  // memory never binds
  config.tiles = {{128, 128}};
  config.achievable.large_gemm = 0.8;
  config.kernel_overhead.graphs_us = 0.0;
  config.tdp_w = 300.0;
  config.idle_w = 30.0;
  config.w_compute = 2.0;
  config.w_memory = 0.0;
  std::vector<GpuOpEstimate> rows{plan_gpu_op(gemm(256, 256, 4096, DType::kFp16), config)};
  const double ratio = solve_sustained_clock(rows, config);
  CHECK(ratio == doctest::Approx(std::cbrt(0.625)).epsilon(1e-9));
  CHECK(rows[0].power_w == doctest::Approx(300.0).epsilon(1e-9));
  CHECK(rows[0].compute_s == doctest::Approx(2.0 * 256 * 256 * 4096 / (100e12 * ratio * 0.8)).epsilon(1e-9));
  // Under the cap nothing changes.
  config.w_compute = 0.6;
  CHECK(solve_sustained_clock(rows, config) == 1.0);
}

TEST_CASE("dvfs: the L4 holds 0.80 of boost on a large GEMM, the value its w_compute was derived for") {
  // REFERENCE.md §3.1: power-capped parts (L4) rarely hold boost under load, derate 0.75-0.85; the
  // preset's w_compute puts a large FP16 GEMM at the middle, 0.80, exactly at the 72 W cap.
  const GpuConfig l4 = load_gpu_preset("l4");
  Workload workload;
  workload.ops = {gemm(8192, 8192, 8192, DType::kFp16)};
  const GpuRunEstimate run = estimate_gpu_workload(workload, l4);
  CHECK(run.clock_ratio == doctest::Approx(0.80).epsilon(0.01));
  CHECK(run.clock_mhz == doctest::Approx(2040.0 * run.clock_ratio));
  CHECK(run.average_power_w == doctest::Approx(72.0).epsilon(1e-6));
  // The A100 at 400 W is never capped by the same GEMM.
  const GpuRunEstimate a100 = estimate_gpu_workload(workload, load_gpu_preset("a100-sxm4-80gb"));
  CHECK(a100.clock_ratio == 1.0);
  CHECK(a100.average_power_w < 400.0);
}

TEST_CASE("dvfs: Jetson power modes cap the module and lower the clock") {
  GpuConfig orin = load_gpu_preset("jetson-agx-orin");
  const Workload resnet = build_zoo_workload(parse_workload_spec("resnet50:batch=8,dtype=int8"), DType::kInt8);
  const GpuRunEstimate maxn = estimate_gpu_workload(resnet, orin);
  CHECK(maxn.power_mode == "maxn");
  CHECK(maxn.power_cap_w == 60.0);
  orin.power_cap.mode = "15w";
  const GpuRunEstimate low = estimate_gpu_workload(resnet, orin);
  CHECK(low.power_cap_w == 15.0);
  CHECK(low.average_power_w <= 15.0 * (1.0 + 1e-9));
  CHECK(low.clock_ratio < maxn.clock_ratio);
  CHECK(low.time_s > maxn.time_s);
}

TEST_CASE("dvfs: an unknown power mode is a config error naming the modes") {
  nlohmann::json document = {{"power_model", {{"modes_w", {{"low", 10}}}, {"mode", "turbo"}}}};
  CHECK_THROWS_WITH_AS(parse_gpu_config(document, "x.json"),
                       "x.json: gpu.power_model.mode: 'turbo' is not one of gpu.power_model.modes_w: low",
                       InputError);
}
