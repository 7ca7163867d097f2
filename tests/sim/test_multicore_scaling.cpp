// Multi-core NPU end to end: mapper splits + SystemC cores + NoC + shared DRAM. Speed-up of a
// compute-bound GEMM, the DRAM bound of a memory-bound layer, stats aggregated over cores, and the
// ideal NoC against the mesh. In-process cases call simulate_npu once (one process per case); cases
// that compare two configurations run the npusim binary twice.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "arch/npu_simulation.h"
#include "tests/sim/cli_harness.h"
#include "tests/support/test_ops.h"
#include "workloads/mapper/mapper.h"

using namespace npusim;
using namespace npusim_test;

namespace {

// 32x32 WS int8 cores at 1 GHz, 16 MiB SRAM each; `dram` GB/s over 4 channels (one controller per
// corner of a 2x2 mesh, 256 B/cycle links).
std::string config_json(uint32_t cores, double dram_gbytes_per_s, const std::string& noc_kind = "mesh") {
  nlohmann::json config = {
      {"clock_mhz", 1000},
      {"cores", cores},
      {"array", {{"rows", 32}, {"cols", 32}, {"dataflow", "ws"}}},
      {"sram", {{"capacity_bytes", 16 * 1024 * 1024}, {"banks", 16}, {"bank_width_bytes", 64}}},
      {"dma", {{"bytes_per_cycle", 256}, {"max_outstanding", 16}}},
      {"dram", {{"bandwidth_gbytes_per_s", dram_gbytes_per_s}, {"channels", 4}, {"latency_ns", 100}}},
      {"noc", {{"kind", noc_kind}, {"link_bytes_per_cycle", 256}, {"hop_latency_cycles", 2}}}};
  if (noc_kind == "mesh") {
    config["noc"]["rows"] = 2;
    config["noc"]["cols"] = 2;
    config["noc"]["dram_nodes"] = {0, 1, 2, 3};
  }
  return config.dump();
}

nlohmann::json run_json(const std::string& name, const std::string& config, const std::string& workload) {
  const std::string dir = fresh_dir(name);
  const std::string path = write_file(dir, "npu.json", config);
  return run_result_json("run --quiet --npu " + path + " --workload " + workload, dir);
}

}  // namespace

TEST_CASE("multicore: a compute-bound GEMM on 4 cores runs at least 3.6x faster than on 1") {
  // 1024^3 MACs on one 32x32 array: >= 1024^3 / 1024 = 1,048,576 cycles. Its bytes (1 MiB each of A
  // and B, 1 MiB of C, B reloaded at most a few times) need ~3-6 MiB / 1000 B/cycle < 7000 cycles of
  // DRAM time: compute-bound. Split 4 ways each core has 262,144 cycles of MACs; ideal speed-up 4.
  const auto one = run_json("mc_gemm1", config_json(1, 1000.0), "gemm:m=1024,n=1024,k=1024");
  const auto four = run_json("mc_gemm4", config_json(4, 1000.0), "gemm:m=1024,n=1024,k=1024");
  const double t1 = one["totals"]["cycles"].get<double>();
  const double t4 = four["totals"]["cycles"].get<double>();
  CAPTURE(t1);
  CAPTURE(t4);
  CHECK(t1 >= 1024.0 * 1024 * 1024 / 1024);
  CHECK(t1 / t4 >= 3.6);
  CHECK(four["layers"][0]["cores_used"] == 4);
  CHECK(four["layers"][0]["split"] != "none");
  CHECK(four["layers"][0]["macs"] == one["layers"][0]["macs"]);
}

TEST_CASE("multicore: the ideal NoC is never slower than the mesh") {
  const std::string workload = "resnet50";
  const auto mesh = run_json("mc_mesh", config_json(4, 100.0, "mesh"), workload);
  const auto ideal = run_json("mc_ideal", config_json(4, 100.0, "ideal"), workload);
  CHECK(ideal["totals"]["cycles"].get<uint64_t>() <= mesh["totals"]["cycles"].get<uint64_t>());
  uint64_t flit_hops = 0;
  for (const auto& layer : mesh["layers"]) flit_hops += layer["noc_flit_hops"].get<uint64_t>();
  CHECK(flit_hops > 0);
  for (const auto& layer : ideal["layers"]) CHECK(layer["noc_flit_hops"] == 0);
}

TEST_CASE("multicore: a DRAM-bound layer does not speed up beyond the DRAM bandwidth") {
  // FC 1 x 4096 x 4096: 16 MiB of int8 weights and one MAC per weight byte: 16.7M MACs over 4 arrays
  // = ~4100 cycles, while 16 MiB at 25.6 B/cycle take ~655,000 cycles. A core's DMA port moves only
  // 16 B/cycle, so splitting helps up to the DRAM's 25.6 B/cycle, and no further.
  NpuConfig config;
  config.cores = 4;
  config.sram.capacity_bytes = 16 * kMiB;
  config.dram.bandwidth_gbytes_per_s = 25.6;  // 25.6 B/cycle at 1 GHz
  config.dram.channels = 2;
  config.dma.bytes_per_cycle = 16;
  config.noc.topology = MeshNocConfig{2, 2};
  config.noc.dram_nodes = {0, 3};
  const std::vector<LayerProgram> programs =
      map_workload(Workload{"fc", "test", {fc_op("fc", 1, 4096, 4096)}}, config);
  REQUIRE(programs.size() == 1);
  CHECK(programs[0].mapping.cores_used > 1);
  const NpuRunStats run = simulate_npu(config, programs);
  const LayerStats& s = run.layers[0];
  const double bytes = static_cast<double>(s.dram_read_bytes + s.dram_write_bytes);
  CHECK(bytes >= 4096.0 * 4096);
  // time >= bytes / bandwidth, whatever the core count.
  CHECK(static_cast<double>(s.cycles()) >= bytes / 25.6);
  // Aggregation: counters are the sum of the cores', the layer ends with its slowest core.
  REQUIRE(run.core_layers.size() == 4);
  uint64_t macs = 0, read = 0;
  Cycles latest = 0;
  for (const auto& core : run.core_layers) {
    macs += core[0].macs;
    read += core[0].dram_read_bytes;
    latest = std::max(latest, core[0].end_cycle);
  }
  CHECK(macs == 4096ull * 4096);
  CHECK(macs == s.macs);
  CHECK(read == s.dram_read_bytes);
  CHECK(latest == s.end_cycle);
  CHECK(run.core_layers[s.critical_core][0].end_cycle == s.end_cycle);
}
