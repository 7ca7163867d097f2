// The performance-per-watt report end to end: energy attribution, the GPU comparison section, and the
// TPU v1 paper's qualitative result. Each case runs the npusim executable.
#include <doctest/doctest.h>

#include <cmath>

#include <nlohmann/json.hpp>

#include "tests/sim/cli_harness.h"

using namespace npusim_test;
using nlohmann::json;

namespace {

json run_to_json(const std::string& name, const std::string& arguments) {
  return run_result_json("run --quiet " + arguments, fresh_dir(name));
}

}  // namespace

TEST_CASE("report: every joule of the total is attributed to a component and a layer") {
  const json result = run_to_json("energy", "--npu edge-int8 --workload mobilenetv2 --gpu none");
  const json& totals = result["totals"];
  double components = 0.0;
  for (const char* key : {"mac_energy_j", "sram_energy_j", "dram_energy_j", "vector_energy_j", "noc_energy_j",
                          "dma_energy_j", "leakage_energy_j"}) {
    components += totals[key].get<double>();
  }
  const double total = totals["energy_j"].get<double>();
  CHECK(total > 0.0);
  CHECK(components == doctest::Approx(total).epsilon(1e-12));
  double per_layer = 0.0;
  for (const auto& layer : result["layers"]) per_layer += layer["energy_j"].get<double>();
  CHECK(per_layer == doctest::Approx(total).epsilon(1e-12));
  // Average power is energy over time; the peak over a 100 us window can only be higher.
  CHECK(totals["average_power_w"].get<double>() ==
        doctest::Approx(total / totals["time_s"].get<double>()).epsilon(1e-12));
  CHECK(totals["peak_power_w"].get<double>() >= totals["average_power_w"].get<double>() * (1 - 1e-12));
  CHECK_FALSE(result.contains("gpu"));
}

TEST_CASE("report: the GPU comparison states its basis, overhead mode and calibration error") {
  const json result = run_to_json("compare", "--npu datacenter-bf16 --workload resnet50 --gpu a100-sxm4-80gb");
  REQUIRE(result.contains("gpu"));
  CHECK(result["gpu"]["overhead_mode"] == "graphs");
  CHECK(result["gpu"]["calibration"]["max_relative_error"].get<double>() <= 0.15);
  const json& comparison = result["workloads"][0]["comparison"];
  CHECK(comparison["power_basis"].get<std::string>().find("modeled average power") != std::string::npos);
  const json& gpu = comparison["gpu"];
  CHECK(gpu["gpu"] == "a100-sxm4-80gb");
  const double gpu_time = gpu["time_s"].get<double>();
  const double npu_time = result["workloads"][0]["totals"]["time_s"].get<double>();
  CHECK(comparison["speedup_npu_over_gpu"].get<double>() == doctest::Approx(gpu_time / npu_time));
  // Power basis: at TDP the GPU can only look worse than at its modeled average power.
  CHECK(gpu["average_power_w"].get<double>() <= gpu["tdp_w"].get<double>());
  CHECK(gpu["inferences_per_j_at_tdp"].get<double>() <= gpu["inferences_per_j"].get<double>());
  // Per layer: the GPU time of every layer adds up to the GPU total.
  double layer_sum = 0.0;
  for (const auto& layer : result["layers"]) layer_sum += layer["gpu_time_s"].get<double>();
  CHECK(layer_sum == doctest::Approx(gpu_time).epsilon(1e-9));
}

TEST_CASE("report: FP8 on an A100 is rejected naming the GPU field") {
  const std::string out = fresh_dir("fp8");
  const CommandResult result =
      run_npusim("run --npu edge-int8 --workload resnet50 --gpu a100-sxm4-80gb --set gpu.compute_dtype=fp8 --out " + out);
  CHECK(result.exit_code == 2);
  CHECK(result.output.find("gpu.") != std::string::npos);
  CHECK(line_count(result.output) == 1);
}

TEST_CASE("report: TPU v1 - small-batch FC is weight-bandwidth-bound, a large CNN layer runs near peak") {
  // Jouppi et al. (ISCA 2017): MLPs and LSTMs sit under the roofline's bandwidth slope, CNNs near peak.
  // FC 2048 -> 1000 at batch 1 moves 2 MB of weights over 34 GB/s (48.6 B/cycle at 700 MHz, ~42k
  // cycles) for 2 M MACs, 31 cycles of a 65536-MAC array: well under 5% utilisation.
  const json fc = run_to_json("tpu_fc", "--npu tpu-v1 --gpu none --workload fc:in=2048,out=1000");
  CHECK(fc["layers"][0]["bound"] == "memory");
  CHECK(fc["layers"][0]["mac_utilization"].get<double>() < 0.05);
  // A 3x3 conv 512 -> 512 on 28x28 at batch 16: M = 16*784 = 12544, K = 4608, N = 512, so
  // 12544 * 4608 * 512 / 65536 = 451584 cycles at peak. Its DRAM traffic (6.4 MB in, 6.4 MB out,
  // 2.4 MB of weights) takes ~313k cycles at 48.6 B/cycle: hidden under compute by double buffering,
  // leaving the array's fill/drain and the first weight load: above 85% of peak. With weight chunks
  // in whole folds the array needs 462k cycles, so DMA (~470k busy, latency included) and compute
  // are balanced: DMA within 5% of the engine, whichever the report calls the bound.
  const json cnn =
      run_to_json("tpu_cnn", "--npu tpu-v1 --gpu none --workload conv:h=28,w=28,c=512,k=512,r=3,pad=1,batch=16");
  CHECK(cnn["layers"][0]["dma_busy_cycles"].get<double>() <= 1.05 * cnn["layers"][0]["engine_busy_cycles"].get<double>());
  CHECK(cnn["layers"][0]["mac_utilization"].get<double>() > 0.85);
}

TEST_CASE("report: NoC link statistics agree with the flit-hops the energy model prices") {
  // Each transfer of b bytes over h hops adds b to each of its h links and ceil(b / 64) * h flit-hops
  // (64-byte flits on rebellions-atom). So 64 * flit-hops >= the bytes summed over links, and exceeds
  // it by less than 64 per link traversal (the sum of every link's transfer count).
  const json result = run_to_json("noc", "--npu rebellions-atom --workload resnet50 --gpu none");
  REQUIRE(result.contains("noc_links"));
  uint64_t link_bytes = 0;
  uint64_t traversals = 0;
  for (const auto& link : result["noc_links"]) {
    link_bytes += link["bytes"].get<uint64_t>();
    traversals += link["transfers"].get<uint64_t>();
    CHECK(link["utilization"].get<double>() >= 0.0);
    CHECK(link["utilization"].get<double>() <= 1.0);
  }
  uint64_t flit_hops = 0;
  for (const auto& layer : result["layers"]) flit_hops += layer["noc_flit_hops"].get<uint64_t>();
  CHECK(link_bytes > 0);
  CHECK(64 * flit_hops >= link_bytes);
  CHECK(64 * flit_hops < link_bytes + 64 * traversals);
  CHECK(result["totals"]["noc_energy_j"].get<double>() > 0.0);
}

TEST_CASE("report: per-core counters add up to the layer rows") {
  // rebellions-atom has 8 cores; a layer row's MACs and DRAM bytes are the sums over its cores.
  const json result = run_to_json("cores", "--npu rebellions-atom --workload resnet50 --gpu none");
  REQUIRE(result.contains("cores"));
  REQUIRE(result["cores"].size() == 8);
  const json& layers = result["layers"];
  for (size_t i = 0; i < layers.size(); ++i) {
    uint64_t macs = 0, dram_read = 0;
    for (const auto& core : result["cores"]) {
      macs += core["layers"][i]["macs"].get<uint64_t>();
      dram_read += core["layers"][i]["dram_read_bytes"].get<uint64_t>();
    }
    CAPTURE(i);
    // Row MACs count the operator (vector-unit MACs included); core MACs count the arrays' work only.
    if (layers[i]["unit"] == "array") CHECK(macs == layers[i]["macs"].get<uint64_t>());
    CHECK(dram_read == layers[i]["dram_read_bytes"].get<uint64_t>());
  }
}
