// More of a resource is never slower, several arrays per core and per-dtype MAC rates, end to end
// through the npusim binary (each case compares runs, so each runs the binary).
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "tests/sim/cli_harness.h"

using namespace npusim_test;

namespace {

nlohmann::json run_json(const std::string& name, const std::string& arguments) {
  return run_result_json(arguments + " --gpu none --quiet", fresh_dir(name));
}

uint64_t total_cycles(const nlohmann::json& result) { return result["totals"]["cycles"].get<uint64_t>(); }

// One 128x128 WS core at 1 GHz with ample SRAM and DRAM, `count` arrays, bf16 at half rate.
std::string core_config(const std::string& dir, uint32_t count) {
  const nlohmann::json config = {
      {"clock_mhz", 1000},
      {"array",
       {{"rows", 128}, {"cols", 128}, {"count", count}, {"dataflow", "ws"},
        {"dtypes", {"int8", "fp8", "bf16"}}, {"macs_per_pe_cycle", {{"bf16", 0.5}}}}},
      {"sram", {{"capacity_bytes", 64 * 1024 * 1024}, {"banks", 64}, {"bank_width_bytes", 64}}},
      {"dma", {{"bytes_per_cycle", 4096}, {"max_outstanding", 32}}},
      {"dram", {{"bandwidth_gbytes_per_s", 4000}, {"channels", 32}, {"latency_ns", 100}}}};
  return write_file(dir, "core" + std::to_string(count) + ".json", config.dump());
}

}  // namespace

TEST_CASE("mapper: YOLOv5s model.5.conv is not slower with 4 MiB of SRAM than with 1 MiB") {
  // The reported symptom: on a 32x32 array, 4 MiB picked a 1600x256x288 tile whose weight chunks of 4
  // channels (36 K rows = 2 folds of 32, the second 4/32 full) nearly doubled the folds: +79% cycles.
  const std::string conv = "conv:h=80,w=80,c=128,k=256,r=3,stride=2,pad=1";
  const auto with_sram = [&](const char* name, uint64_t bytes) {
    return run_json(name, "run --npu edge-int8 --workload " + conv + " --set npu.sram.capacity_bytes=" +
                              std::to_string(bytes));
  };
  const nlohmann::json small = with_sram("yolo5_1mib", 1 << 20);
  const nlohmann::json large = with_sram("yolo5_4mib", 4 << 20);
  // Was +79%; a 3.5% residual remains (4 MiB picks an 800x128x1152 tile the estimate ties with the
  // 1 MiB 120x256x1152 one): the whole network is within 1% (tests/mapper/test_monotonic.py).
  CHECK(total_cycles(large) <= total_cycles(small) * 105 / 100);
  // M = 40*40 = 1600, N = 256, K = 128*9 = 1152 on 32x32 WS: at least 1152/32 * 256/32 = 288 folds of
  // 1600 rows = 460,800 array cycles whatever the tiling; MAC efficiency stays near the 99% of 1 MiB.
  const uint64_t array_floor = 1152 / 32 * (256 / 32) * 1600;
  CHECK(total_cycles(large) >= array_floor);
  CHECK(total_cycles(large) <= array_floor * 115 / 100);
}

TEST_CASE("mapper: four arrays per core run a compute-bound GEMM four times faster") {
  const std::string dir = fresh_dir("array_count");
  const std::string gemm = " --workload gemm:m=4096,n=1024,k=1024,dtype=int8";
  const uint64_t one = total_cycles(run_json("count1", "run --npu " + core_config(dir, 1) + gemm));
  const uint64_t four = total_cycles(run_json("count4", "run --npu " + core_config(dir, 4) + gemm));
  // One array: K=1024 and N=1024 make 8 x 8 = 64 folds of the 4096 streamed rows = 262,144 cycles; four
  // arrays take 16 rounds = 65,536. Loads (5 MiB over 4 KB/cycle ~ 1,300 cycles) hide under compute.
  CHECK(one >= 262144);
  CHECK(one <= 262144 * 105 / 100);
  CHECK(four >= 65536);
  CHECK(four <= 65536 * 110 / 100);
}

TEST_CASE("mapper: bf16 at half the MAC rate takes twice as long; fp8 runs at the int8 rate") {
  const std::string dir = fresh_dir("dtype_rates");
  const std::string npu = "run --npu " + core_config(dir, 1) + " --workload gemm:m=4096,n=1024,k=1024";
  const uint64_t int8 = total_cycles(run_json("rate_int8", npu + " --dtype int8"));
  const uint64_t fp8 = total_cycles(run_json("rate_fp8", npu + " --dtype fp8"));
  const uint64_t bf16 = total_cycles(run_json("rate_bf16", npu + " --dtype bf16"));
  // 64 folds x 4096 rows at 1 MAC/PE/cycle = 262,144; at 0.5, 524,288 (2-byte loads still hide).
  CHECK(fp8 == int8);  // same rate, same 1-byte operands
  CHECK(bf16 >= 524288);
  CHECK(static_cast<double>(bf16) / static_cast<double>(int8) == doctest::Approx(2.0).epsilon(0.03));
}
