// GPU baseline config: presets, round trip, and every class of bad input with its dotted path.
#include <doctest/doctest.h>

#include <algorithm>

#include "analysis/gpu/gpu_config.h"
#include "arch/spec/input_error.h"
#include "sim/io/config_loader.h"
#include "tests/support/input_error_of.h"
#include "tests/support/relative_approx.h"

using namespace npusim;
using namespace npusim_test;
using nlohmann::json;

namespace {

std::string gpu_error_of(const json& document) {
  return input_error_of([&] { parse_gpu_config(document, "x.json"); });
}

GpuConfig load_gpu_preset(const std::string& name) {
  const ConfigDocument document = load_config_document(name, "gpu");
  return parse_gpu_config(document.document, document.file);
}

}  // namespace

TEST_CASE("gpu config: every preset parses, cites its sources and round-trips") {
  const auto presets = list_presets("gpu");
  for (const char* expected : {"a100-sxm4-80gb", "h100-sxm5", "h100-pcie", "l4", "l40s", "jetson-agx-orin"}) {
    CHECK(std::find(presets.begin(), presets.end(), expected) != presets.end());
  }
  for (const auto& name : presets) {
    CAPTURE(name);
    const GpuConfig config = load_gpu_preset(name);
    CHECK(config.name == name);
    CHECK(!config.description.empty());
    CHECK(config.sources.count("tdp_w") == 1);
    CHECK(config.sources.count("peak_tensor_tflops") == 1);
    CHECK(config.idle_w < config.tdp_w);
    const json out = gpu_config_to_json(config);
    CHECK(gpu_config_to_json(parse_gpu_config(out, "round-trip.json")) == out);
  }
}

TEST_CASE("gpu config: the A100 preset carries REFERENCE.md §3.1's numbers") {
  const GpuConfig a100 = load_gpu_preset("a100-sxm4-80gb");
  CHECK(a100.sms == 108);
  CHECK(a100.peak_tensor_tflops.at("fp16") == 312.0);
  CHECK(a100.peak_tensor_tflops.at("int8") == 624.0);
  CHECK(a100.peak_tensor_tflops.count("fp8") == 0);  // Ampere has no FP8 tensor path
  CHECK(a100.dram_bandwidth_gbytes_per_s == 2039.0);
  CHECK(a100.l2_bytes == 40 * kMiB);
  CHECK(a100.tdp_w == 400.0);
  CHECK(a100.kernel_overhead.mode == KernelOverheadMode::kGraphs);

  const GpuConfig h100 = load_gpu_preset("h100-sxm5");
  CHECK(h100.peak_tensor_tflops.at("fp8") == 1979.0);
  CHECK(h100.achievable.large_gemm_by_dtype.at("fp8") == approx(0.71));
  // The L4's sustained clock comes from its power draw against 72 W (gpu_dvfs.h), not a fixed derate.
  const GpuConfig l4 = load_gpu_preset("l4");
  CHECK(l4.clock_derate == 1.0);
  CHECK(l4.w_compute + l4.w_memory > 1.0);  // full load at boost would exceed the TDP
  CHECK(gpu_power_cap_w(l4) == 72.0);
  const GpuConfig orin = load_gpu_preset("jetson-agx-orin");
  CHECK(orin.power_cap.mode == "maxn");
  CHECK(gpu_power_cap_w(orin) == 60.0);
  CHECK(orin.power_cap.modes_w.at("15w") == 15.0);
}

TEST_CASE("gpu config: --set overrides use the same dotted paths") {
  ConfigDocument document = load_config_document("a100-sxm4-80gb", "gpu");
  apply_override(document, "gpu", "gpu.kernel_overhead.mode=eager");
  apply_override(document, "gpu", "gpu.fuse_elementwise=false");
  const GpuConfig config = parse_gpu_config(document.document, document.file);
  CHECK(config.kernel_overhead.mode == KernelOverheadMode::kEager);
  CHECK(config.kernel_overhead.per_kernel_us() == config.kernel_overhead.eager_us);
  CHECK_FALSE(config.fuse_elementwise);
}

TEST_CASE("gpu config: bad input names the file, the path and the expectation") {
  CHECK(gpu_error_of({{"tdp_w", 40}, {"idle_w", 50}}) ==
        "x.json: gpu.idle_w: idle power 50 W exceeds gpu.tdp_w 40 W");
  CHECK(gpu_error_of({{"tdp_w", -400}}).find("x.json: gpu.tdp_w: expected a positive number") == 0);
  CHECK(gpu_error_of({{"idle_w", -1}}).find("x.json: gpu.idle_w: expected a non-negative number") == 0);
  CHECK(gpu_error_of({{"sms", -108}}).find("x.json: gpu.sms: expected a positive integer") == 0);
  CHECK(gpu_error_of({{"dram_bandwidth_gbytes_per_s", 0}}).find("gpu.dram_bandwidth_gbytes_per_s") !=
        std::string::npos);
  CHECK(gpu_error_of({{"peak_tensor_tflops", {{"fp4", 100}}}}) ==
        "x.json: gpu.peak_tensor_tflops.fp4: 'fp4' is not a known data type: int8, fp8, fp16, bf16, tf32, "
        "fp32");
  CHECK(gpu_error_of({{"peak_tensor_tflops", {{"fp16", -1}}}})
            .find("gpu.peak_tensor_tflops.fp16: expected a positive") != std::string::npos);
  CHECK(gpu_error_of({{"achievable", {{"large_gemm", 1.2}}}})
            .find("gpu.achievable.large_gemm: expected a fraction") != std::string::npos);
  CHECK(gpu_error_of({{"achievable", {{"large_gemm_by_dtype", {{"fp9", 0.5}}}}}})
            .find("gpu.achievable.large_gemm_by_dtype.fp9: 'fp9' is not a known data type") !=
        std::string::npos);
  CHECK(gpu_error_of({{"kernel_overhead", {{"mode", "lazy"}}}}) ==
        "x.json: gpu.kernel_overhead.mode: \"lazy\" is not one of: graphs, eager");
  CHECK(gpu_error_of({{"kernel_overhead", {{"graphs_us", -5}}}}).find("gpu.kernel_overhead.graphs_us") !=
        std::string::npos);
  CHECK(gpu_error_of({{"tiles", {{"shapes", {"256by128"}}}}})
            .find("gpu.tiles.shapes: '256by128' is not a tile shape") != std::string::npos);
  CHECK(gpu_error_of({{"tiles", {{"shapes", json::array()}}}})
            .find("gpu.tiles.shapes: expected at least one") != std::string::npos);
  CHECK(gpu_error_of({{"power_model", {{"w_compute", -0.6}}}}).find("gpu.power_model.w_compute") !=
        std::string::npos);
  CHECK(gpu_error_of({{"dram_kind", "hbm9"}}).find("gpu.dram_kind: 'hbm9' is not one of: lpddr4") !=
        std::string::npos);
  CHECK(gpu_error_of({{"sources", {{"sms", 3}}}}).find("gpu.sources.sms: expected a string") !=
        std::string::npos);
  CHECK(gpu_error_of({{"tdp", 400}}) == "x.json: gpu.tdp: unknown field");
  CHECK(
      gpu_error_of({{"compute_dtype", "fp8"}}) ==
      "x.json: gpu.compute_dtype: custom has no fp8 tensor throughput (absent from gpu.peak_tensor_tflops)");
  CHECK(gpu_error_of({{"compute_dtype", "fp6"}}).find("gpu.compute_dtype: 'fp6' is not a known data type") !=
        std::string::npos);
}

TEST_CASE("gpu config: a sources object and a compute dtype the GPU supports are accepted") {
  const json document = {{"name", "h"},
                         {"sources", {{"sms", "S: datasheet"}, {"tdp_w", "E"}}},
                         {"peak_tensor_tflops", {{"fp16", 989}, {"fp8", 1979}}},
                         {"compute_dtype", "fp8"}};
  const GpuConfig config = parse_gpu_config(document, "x.json");
  CHECK(config.sources.at("sms") == "S: datasheet");
  CHECK(config.compute_dtype == "fp8");
  CHECK(config.peak_tensor_tflops.count("int8") == 0);  // a given map replaces the default one
}
