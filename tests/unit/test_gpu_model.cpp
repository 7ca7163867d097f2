// GPU baseline model: closed-form cases for compute-bound, memory-bound, overhead-bound, quantized and
// fused kernels, the power model, and unsupported data types.
#include <doctest/doctest.h>

#include "analysis/gpu/gpu_model.h"
#include "arch/spec/input_error.h"
#include "sim/io/config_loader.h"
#include "tests/support/relative_approx.h"
#include "tests/support/test_ops.h"

using namespace npusim;
using namespace npusim_test;

namespace {

// Round numbers so the arithmetic below stays readable: 100 TF fp16, 1000 GB/s, 4 SMs, one 128x128
// tile shape, GEMM fraction 0.8, weight streaming 1.0, streaming 0.25, 5 us per kernel, 300 W / 30 W.
GpuConfig simple_gpu() {
  GpuConfig config;
  config.name = "simple";
  config.sms = 4;
  config.peak_tensor_tflops = {{"fp16", 100.0}};
  config.fp32_tflops = 10.0;
  config.dram_bandwidth_gbytes_per_s = 1000.0;
  config.l2_bytes = 64 * kMiB;
  config.tiles = {{128, 128}};
  config.ctas_per_sm = 1;
  config.achievable.large_gemm = 0.8;
  config.achievable.weight_streaming = 1.0;
  config.achievable.streaming = 0.25;
  config.kernel_overhead.graphs_us = 5.0;
  config.tdp_w = 300.0;
  config.idle_w = 30.0;
  config.w_compute = 0.6;
  config.w_memory = 0.4;
  return config;
}

Operator fc(uint64_t m, uint64_t n, uint64_t k, DType dtype = DType::kFp16) {
  return npusim_test::fc_op("fc", m, n, k, dtype);
}

Operator add(uint64_t elements, std::vector<uint32_t> inputs) {
  return npusim_test::add_op(elements, std::move(inputs), DType::kFp16);
}

GpuConfig load_gpu_preset(const std::string& name) {
  const ConfigDocument document = load_config_document(name, "gpu");
  return parse_gpu_config(document.document, document.file);
}

}  // namespace

TEST_CASE("gpu model: a large GEMM runs at peak x fraction") {
  // M = N = 256 on 128x128 tiles: 4 tiles on 4 SMs, one full wave, no quantization loss.
  // flops = 2·256·256·4096 = 536,870,912; compute = flops / (100e12 · 0.8) = 6.7109 us.
  // bytes = A 256·4096·2 + B 4096·256·2 + C 256·256·2 = 4,325,376; memory = / (1e12 · 1.0) = 4.3254 us.
  const GpuOpEstimate row = estimate_gpu_op(fc(256, 256, 4096), simple_gpu());
  CHECK(row.op_class == GpuOpClass::kLargeGemm);
  CHECK(row.tensor_cores);
  CHECK(row.tile.tile_efficiency == 1.0);
  CHECK(row.tile.wave_efficiency == 1.0);
  CHECK(row.flops == 536870912.0);
  CHECK(row.compute_s == approx(536870912.0 / 80e12));
  CHECK(row.flops / row.compute_s == approx(100e12 * 0.8));
  CHECK(row.dram_bytes == 4325376.0);
  CHECK(row.memory_s == approx(4325376.0 / 1e12));
  CHECK(row.time_s == approx(536870912.0 / 80e12 + 5e-6));
  // power = idle + (tdp - idle)·(0.6·u_compute + 0.4·u_dram), u over the whole kernel time.
  const double u_compute = 536870912.0 / (row.time_s * 100e12);
  const double u_dram = 4325376.0 / (row.time_s * 1e12);
  CHECK(row.power_w == approx(30.0 + 270.0 * (0.6 * u_compute + 0.4 * u_dram)));
  CHECK(row.energy_j == approx(row.power_w * row.time_s));
}

TEST_CASE("gpu model: tile and wave quantization follow NVIDIA's formulas") {
  // M = 257, N = 256 on 128x128: ceil(257/128) = 3 row tiles x 2 column tiles = 6 tiles;
  // eff_tile = 257·256 / (384·256) = 0.6693; waves = ceil(6/4) = 2, eff_wave = 6 / (2·4) = 0.75.
  const GpuTileChoice choice = choose_gpu_tile(GemmView{257, 256, 64, 1}, simple_gpu());
  CHECK(choice.tiles == 6);
  CHECK(choice.waves == 2);
  CHECK(choice.tile_efficiency == approx(257.0 / 384.0));
  CHECK(choice.wave_efficiency == approx(0.75));

  // A100, M = 512, N = 12288: 256x128 gives 2·96 = 192 tiles, 2 waves on 108 SMs, 192/216 = 0.889;
  // 64x64 gives 8·192 = 1536 tiles, 15 waves, 1536/1620 = 0.948, the best. 0.889 is within 15% of
  // 0.948, so the larger tile is kept; with no slack the best-quantized shape wins.
  GpuConfig a100 = load_gpu_preset("a100-sxm4-80gb");
  const GemmView view{512, 12288, 12288, 1};
  const GpuTileChoice kept = choose_gpu_tile(view, a100);
  CHECK(kept.tile.m == 256);
  CHECK(kept.tile.n == 128);
  CHECK(kept.wave_efficiency == approx(192.0 / 216.0));
  a100.prefer_larger_within = 0.0;
  const GpuTileChoice best = choose_gpu_tile(view, a100);
  CHECK(best.tile.m == 64);
  CHECK(best.tile.n == 64);
  CHECK(best.wave_efficiency == approx(1536.0 / 1620.0));
}

TEST_CASE("gpu model: a tiny GEMM is dominated by the fixed kernel overhead") {
  // 64x64x64 fp16 on A100 is a small-K GEMM (K <= 128, fraction 0.5): 524,288 flops on one 64x64 tile
  // (1 of 108 SMs busy) take 524288 / (312e12 · 0.5 / 108) = 0.363 us; 24 KiB of DRAM traffic at the
  // weight-streaming fraction take ~0.01 us; the kernel overhead is 2 us, 2 / 2.363 = 85% of the time.
  const GpuConfig a100 = load_gpu_preset("a100-sxm4-80gb");
  const GpuOpEstimate row = estimate_gpu_op(fc(64, 64, 64), a100);
  CHECK(row.op_class == GpuOpClass::kSmallKGemm);
  CHECK(row.overhead_s == approx(2e-6));
  CHECK(row.compute_s == approx(524288.0 / (312e12 * 0.5 / 108.0)));
  CHECK(row.memory_s == approx(3.0 * 64 * 64 * 2 / (2039e9 * 0.85)));
  CHECK(row.time_s == approx(524288.0 / (312e12 * 0.5 / 108.0) + 2e-6));
  CHECK(row.overhead_s / row.time_s > 0.8);
  CHECK(row.power_w < a100.idle_w + 0.05 * (a100.tdp_w - a100.idle_w));  // near idle
}

TEST_CASE("gpu model: a streaming op takes bytes / (bandwidth x fraction) plus the overhead") {
  // add of two 1e8-element fp16 tensors: reads 2·1e8·2 B, writes 1e8·2 B = 6e8 B;
  // memory = 6e8 / (1e12 · 0.25) = 2.4 ms; compute = 2e8 element ops / 10e12 = 20 us (hidden).
  const GpuOpEstimate row = estimate_gpu_op(add(100'000'000, {}), simple_gpu());
  CHECK(row.op_class == GpuOpClass::kStreaming);
  CHECK_FALSE(row.tensor_cores);
  CHECK(row.dram_bytes == 6e8);
  CHECK(row.memory_s == approx(6e8 / 0.25e12));
  CHECK(row.compute_s == approx(2e8 / 10e12));
  CHECK(row.time_s == approx(6e8 / 0.25e12 + 5e-6));
  CHECK(row.dram_utilization == approx(6e8 / (row.time_s * 1e12)));
}

TEST_CASE("gpu model: operands that fit in L2 are read once, otherwise the larger is re-read per pass") {
  // fc 1024x512x2048 fp16: A = 1024·2048·2 = 4 MiB, B = 2048·512·2 = 2 MiB, C = 1024·512·2 = 1 MiB.
  GpuConfig config = simple_gpu();
  config.l2_bytes = 2 * kMiB;  // B fits: 7 MiB
  CHECK(estimate_gpu_op(fc(1024, 512, 2048), config).dram_bytes == 7.0 * kMiB);
  config.l2_bytes = 1 * kMiB;  // B takes ceil(2/1) = 2 passes, A is read twice: 7 + 4 = 11 MiB
  CHECK(estimate_gpu_op(fc(1024, 512, 2048), config).dram_bytes == 11.0 * kMiB);
}

TEST_CASE("gpu model: power stays between idle and TDP") {
  const GpuConfig h100 = load_gpu_preset("h100-sxm5");
  for (const Operator& op : {fc(8192, 8192, 8192), fc(1, 4096, 4096), fc(64, 64, 64), add(1 << 26, {})}) {
    const GpuOpEstimate row = estimate_gpu_op(op, h100);
    CHECK(row.power_w >= h100.idle_w);
    CHECK(row.power_w <= h100.tdp_w);
    CHECK(row.compute_utilization <= 1.0);
    CHECK(row.dram_utilization <= 1.0);
  }
  // Tensor cores that would draw 5x (TDP - idle) at full clock: the kernel slows to the clock whose power
  // meets the TDP (gpu_dvfs.h), so power = TDP and the compute time grows by 1 / ratio.
  GpuConfig hot = simple_gpu();
  hot.w_compute = 5.0;
  const GpuOpEstimate cool = estimate_gpu_op(fc(256, 256, 4096), simple_gpu());
  const GpuOpEstimate capped = estimate_gpu_op(fc(256, 256, 4096), hot);
  CHECK(capped.power_w == doctest::Approx(300.0).epsilon(1e-9));
  CHECK(capped.compute_s > cool.compute_s);
}

TEST_CASE("gpu model: a decode GEMV is weight streaming without tile quantization") {
  // 1x4096x4096 fp16 on A100: 32 MiB of weights / (2039e9 · 0.85) = 19.4 us, far above its compute.
  const GpuConfig a100 = load_gpu_preset("a100-sxm4-80gb");
  const GpuOpEstimate row = estimate_gpu_op(fc(1, 4096, 4096), a100);
  CHECK(row.op_class == GpuOpClass::kGemv);
  CHECK(row.tile.tiles == 0);
  const double bytes = 4096.0 * 2 + 4096.0 * 4096 * 2 + 4096.0 * 2;
  CHECK(row.memory_s == approx(bytes / (2039e9 * 0.85)));
  CHECK(row.time_s == approx(bytes / (2039e9 * 0.85) + 2e-6));  // the 2 us graphs overhead
}

TEST_CASE("gpu model: FP8 on A100 is rejected, on H100 it runs at the FP8 peak and fraction") {
  GpuConfig a100 = load_gpu_preset("a100-sxm4-80gb");
  a100.compute_dtype = "fp8";
  try {
    estimate_gpu_op(fc(4096, 4096, 4096), a100);
    FAIL("expected an InputError");
  } catch (const InputError& error) {
    CHECK(error.where() == "gpu.peak_tensor_tflops.fp8");
    CHECK(std::string(error.what()).find("a100-sxm4-80gb has no fp8 tensor throughput") != std::string::npos);
  }

  GpuConfig h100 = load_gpu_preset("h100-sxm5");
  h100.compute_dtype = "fp8";
  const GpuOpEstimate fp8 = estimate_gpu_op(fc(4096, 4096, 4096), h100);
  CHECK(fp8.dtype == "fp8");
  CHECK(fp8.peak_flops_per_s == approx(1979e12));
  CHECK(fp8.compute_fraction == approx(0.71));
  // fp8 operands are 1 byte: 3 matrices of 4096² bytes (the fp16 op would move twice that).
  CHECK(fp8.dram_bytes == approx(3.0 * 4096 * 4096));
}

TEST_CASE("gpu model: an fp32 GEMM without a tensor entry runs on CUDA cores") {
  const GpuConfig a100 = load_gpu_preset("a100-sxm4-80gb");
  const GpuOpEstimate row = estimate_gpu_op(fc(4096, 4096, 4096, DType::kFp32), a100);
  CHECK_FALSE(row.tensor_cores);
  CHECK(row.peak_flops_per_s == approx(19.5e12));
}

TEST_CASE("gpu model: an elementwise op fuses into its producer's kernel") {
  // fc0 and fc1 (256x256x4096) feed add2(fc0, fc1). fc0 has one consumer and the same 65,536 output
  // elements, so add2 becomes fc0's epilogue: no kernel, and only its second operand (fc1's output,
  // 65,536·2 B) is extra DRAM traffic, read inside fc0's kernel.
  Workload workload;
  workload.ops = {fc(256, 256, 4096), fc(256, 256, 4096), add(256 * 256, {0, 1})};
  const GpuConfig config = simple_gpu();
  const GpuOpEstimate alone = estimate_gpu_op(workload.ops[0], config);

  const GpuRunEstimate fused = estimate_gpu_workload(workload, config);
  REQUIRE(fused.ops.size() == 3);
  CHECK(fused.kernels == 2);
  CHECK(fused.ops[2].op_class == GpuOpClass::kFusedEpilogue);
  CHECK(fused.ops[2].fused_into == 0);
  CHECK(fused.ops[2].time_s == 0.0);
  CHECK(fused.ops[2].energy_j == 0.0);
  CHECK(fused.ops[0].dram_bytes == alone.dram_bytes + 65536.0 * 2);
  CHECK(fused.ops[0].time_s == approx(alone.time_s));  // compute-bound: the extra read hides
  CHECK(fused.overhead_mode == "graphs");

  GpuConfig unfused_config = config;
  unfused_config.fuse_elementwise = false;
  const GpuRunEstimate unfused = estimate_gpu_workload(workload, unfused_config);
  CHECK(unfused.kernels == 3);
  CHECK(unfused.ops[2].op_class == GpuOpClass::kStreaming);
  CHECK(unfused.time_s > fused.time_s);
}

TEST_CASE("gpu model: workload totals integrate power over the timeline") {
  Workload workload;
  workload.ops = {fc(256, 256, 4096), fc(1, 4096, 4096), add(1 << 20, {})};
  const GpuConfig config = simple_gpu();
  const GpuRunEstimate run = estimate_gpu_workload(workload, config);
  double time = 0.0;
  double energy = 0.0;
  for (const auto& row : run.ops) {
    time += row.time_s;
    energy += row.energy_j;
  }
  CHECK(run.time_s == approx(time));
  CHECK(run.energy_j == approx(energy));
  CHECK(run.average_power_w == approx(energy / time));
  CHECK(run.flops == 2.0 * (256.0 * 256 * 4096 + 4096.0 * 4096));
  CHECK(run.achieved_tflops == approx(run.flops / run.time_s / 1e12));
  CHECK(run.tflops_per_w == approx(run.flops / run.energy_j / 1e12));
  CHECK(run.tflops_per_w_at_tdp == approx(run.achieved_tflops / 300.0));
  CHECK(run.kernel_overhead_us == 5.0);
  const nlohmann::json out = gpu_run_estimate_to_json(run);
  CHECK(out.at("overhead_mode") == "graphs");
  CHECK(out.at("ops").size() == 3);
}

TEST_CASE("gpu model: attention runs on tensor cores as a small-K GEMM") {
  // BERT-base-like attention, 12 heads x 64 dims, 384 tokens, fp16: QK^T and AV are each
  // 12 * 384 * 384 * 64 MACs = 113,246,208, so 2 * 2 * 113,246,208 FLOPs in all.
  const ConfigDocument document = load_config_document("a100-sxm4-80gb", "gpu");
  const GpuConfig config = parse_gpu_config(document.document, document.file);
  const Operator op = attention_op(12, 12, 64, 384, 0, false, false, true, DType::kFp16);
  const GpuOpEstimate row = estimate_gpu_op(op, config);
  CHECK(row.op_class == GpuOpClass::kSmallKGemm);
  CHECK(row.tensor_cores);
  CHECK(row.flops == doctest::Approx(4.0 * 113246208.0));
  // compute time = flops / (312 TFLOPS * small-K fraction) when that exceeds the memory time
  const double compute_s = row.flops / (312e12 * config.achievable.small_k_gemm);
  CHECK(row.compute_s == doctest::Approx(compute_s).epsilon(1e-9));
}
