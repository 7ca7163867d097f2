// SCALE-Sim v2 memory-system replay: closed forms for small layers (derived in the comments from
// scale-sim-v2's read_buffer.py, read_buffer_estimate_bw.py and write_buffer.py), the operand
// stream's demand slices, and Python's float repr used by the reports. tests/scalesim/
// check_reference.py compares whole reports with SCALE-Sim's own output.
#include <doctest/doctest.h>

#include <vector>

#include "arch/timing/scalesim_memory_replay.h"
#include "arch/timing/scalesim_operand_stream.h"
#include "sim/io/python_repr.h"
#include "sim/io/scalesim_reports.h"

namespace npusim {
namespace {

ScaleSimMemorySetup setup_4x4(Dataflow dataflow, bool calc) {
  ScaleSimMemorySetup setup;
  setup.array = ArrayShape{4, 4};
  setup.dataflow = dataflow;
  setup.ifmap_sram_kb = setup.filter_sram_kb = setup.ofmap_sram_kb = 1;
  setup.calc_bandwidth = calc;
  setup.user_bandwidth_words_per_cycle = 10;
  return setup;
}

// A GEMM row "g, 4, 4, 4" as topology_utils loads it: ifmap 4 x 4, filter 1 x 4, 1 channel, 4 filters.
constexpr ScaleSimLayerShape kGemm4{4, 4, 1, 4, 1, 4, 1, 1};

}  // namespace

TEST_CASE("scalesim replay: 4x4x4 GEMM on a 4x4 OS array, USER 10 words/cycle, 1 kB buffers") {
  const ScaleSimLayerReport r = scalesim_replay_layer(setup_4x4(Dataflow::kOutputStationary, false), kGemm4);
  // One fold of L = T + H + W - 2 = 10 demand rows (cycles 0..9); everything fits the 512-word active
  // halves, so nothing stalls: total = 9, stalls 0.
  CHECK(r.total_cycles == 9);
  CHECK(r.stall_cycles == 0);
  // Each read stream has 16 words = ceil(16/10) = 2 fetch rows; the initial fill requests
  // min(ceil(512/10), 2) = 2 rows of 10 words, served at cycles -2 and -1.
  CHECK(r.ifmap.dram_accesses == 20);
  CHECK(r.ifmap.dram_start_cycle == -2);
  CHECK(r.ifmap.dram_stop_cycle == -1);
  CHECK(r.filter.dram_accesses == 20);
  // 16 ofmap words never pass the active half (free 1008 >= 512); at the end two lines (10 + 6 words)
  // drain from cycle 9, one per cycle: 16 words written at cycles 9..10.
  CHECK(r.ofmap.dram_accesses == 16);
  CHECK(r.ofmap.dram_start_cycle == 9);
  CHECK(r.ofmap.dram_stop_cycle == 10);
  // OS ofmap demand row t writes columns [t-6, t-3] of 0..3: first at t = 3, last at t = 9.
  CHECK(r.ofmap.sram_start_cycle == 3);
  CHECK(r.ofmap.sram_stop_cycle == 9);
  // SRAM: 16 reads per operand; ofmap 16 writes + SCALE-Sim's extra H + W per fold = 24.
  CHECK(r.ifmap.sram_accesses == 16);
  CHECK(r.ofmap.sram_accesses == 24);
  // ifmap demand: skewed T = 4 rows: rows 0..6 carry data, served one cycle late (hit latency 1).
  CHECK(r.ifmap.sram_start_cycle == 1);
  CHECK(r.ifmap.sram_stop_cycle == 7);
  // 64 MACs over 9 cycles x 16 PEs; DRAM bandwidth = 20 words over 2 cycles.
  CHECK(r.overall_util_percent == doctest::Approx(6400.0 / 144.0));
  CHECK(r.ifmap_dram_bw == 10.0);
  CHECK(r.ofmap_dram_bw == 8.0);
}

TEST_CASE("scalesim replay: CALC mode logs the first-touch sets ending at cycle -1") {
  const ScaleSimLayerReport r = scalesim_replay_layer(setup_4x4(Dataflow::kOutputStationary, true), kGemm4);
  // 16 distinct addresses per read operand fill sets of floor(1024/100) = 10: sets 0 (10) and 1 (6).
  // No 50 sets ever fill, so complete_all_prefetches() logs both sets over ceil(2*10/10) = 2 cycles
  // ending at -1: 16 words read at cycles -2..-1. Reads never stall in CALC mode.
  CHECK(r.ifmap.dram_accesses == 16);
  CHECK(r.ifmap.dram_start_cycle == -2);
  CHECK(r.ifmap.dram_stop_cycle == -1);
  CHECK(r.filter.dram_accesses == 16);
  CHECK(r.stall_cycles == 0);
  CHECK(r.total_cycles == 9);
  // The ofmap port is ArrayWidth = 4 words wide in CALC: 4 full lines drain from cycle 9 to 12.
  CHECK(r.ofmap.dram_accesses == 16);
  CHECK(r.ofmap.dram_stop_cycle == 12);
}

TEST_CASE("scalesim replay: a read buffer smaller than its operand stalls the array") {
  // 64 x 64 x 64 GEMM, 1 kB buffers, 1 word/cycle: the filter stream (4096 words) is 8x the buffer, so
  // prefetches of 512 rows each run back to back, and the array must wait for them.
  ScaleSimMemorySetup setup = setup_4x4(Dataflow::kOutputStationary, false);
  setup.user_bandwidth_words_per_cycle = 1;
  const ScaleSimLayerReport r = scalesim_replay_layer(setup, ScaleSimLayerShape{64, 64, 1, 64, 1, 64, 1, 1});
  CHECK(r.stall_cycles > 0);
  CHECK(r.total_cycles == 16 * 16 * (64 + 4 + 4 - 2) - 1 + r.stall_cycles);  // folds * L - 1 + stalls
  // Every DRAM read request is a whole 512-word fill or prefetch.
  CHECK(r.filter.dram_accesses % 512 == 0);
  // Average DRAM bandwidth can never exceed the interface's 1 word/cycle.
  CHECK(r.filter_dram_bw <= 1.0);
  CHECK(r.ifmap_dram_bw <= 1.0);
}

TEST_CASE("scalesim operand stream: OS ifmap demand rows are anti-diagonals of the prefetch stream") {
  const ScaleSimMemorySetup setup = setup_4x4(Dataflow::kOutputStationary, false);
  const ScaleSimOperandStream stream(setup, kGemm4, ScaleSimOperand::kIfmap);
  CHECK(stream.size() == 16);        // T x H = 4 x 4
  CHECK(stream.unique_addresses());  // GEMM: ofmap width 1, no overlapping windows
  const auto addresses = [&](const ScaleSimStreamSlice& slice) {
    std::vector<int64_t> out;
    stream.for_each_valid(slice.begin, slice.end, [&](uint64_t, int64_t a) { out.push_back(a); });
    return out;
  };
  // Prefetch matrix P(w, px) = ifmap(px, w) = px*4 + w. Demand row 0 is anti-diagonal 0: P(0, 0).
  CHECK(addresses(stream.demand_row(0, 0, 0)) == std::vector<int64_t>{0});
  // Row 3 is anti-diagonal 3, rows (w) descending: pixels 0..3 at window positions 3..0.
  CHECK(addresses(stream.demand_row(0, 0, 3)) == std::vector<int64_t>{3, 6, 9, 12});
  // Rows past T + H - 2 = 6 carry nothing.
  const ScaleSimStreamSlice idle = stream.demand_row(0, 0, 7);
  CHECK(idle.begin == idle.end);
}

TEST_CASE("scalesim operand stream: an im2col address is found at every window covering it") {
  // 4x4 ifmap, 3x3 filter, stride 1: ofmap 2x2; ifmap pixel (1, 1) lies in all four windows.
  const ScaleSimMemorySetup setup = setup_4x4(Dataflow::kOutputStationary, false);
  const ScaleSimOperandStream stream(setup, ScaleSimLayerShape{4, 4, 3, 3, 1, 2, 1, 1},
                                     ScaleSimOperand::kIfmap);
  CHECK_FALSE(stream.unique_addresses());
  int found = 0;
  stream.any_position_of(1 * 4 + 1, [&](uint64_t pos) {
    int64_t at = -1;
    stream.for_each_valid(pos, pos + 1, [&](uint64_t, int64_t a) { at = a; });
    CHECK(at == 5);
    ++found;
    return false;
  });
  CHECK(found == 4);
}

TEST_CASE("python float repr: CPython's str(float)") {
  CHECK(python_float_repr(100.0) == "100.0");
  CHECK(python_float_repr(-128.0) == "-128.0");
  CHECK(python_float_repr(1.7241379310344827) == "1.7241379310344827");
  CHECK(python_float_repr(80.12820512820514) == "80.12820512820514");
  CHECK(python_float_repr(0.0001) == "0.0001");
  CHECK(python_float_repr(0.00001) == "1e-05");
  CHECK(python_float_repr(1.5e-7) == "1.5e-07");
  CHECK(python_float_repr(1e16) == "1e+16");
  CHECK(python_float_repr(123456789012345.0) == "123456789012345.0");
  CHECK(python_float_repr(2.5e22) == "2.5e+22");
  CHECK(python_float_repr(0.1) == "0.1");
}

TEST_CASE("scalesim reports: SCALE-Sim's headers and row layout") {
  ScaleSimLayerReport r;
  r.total_cycles = 6264;
  r.stall_cycles = 4315;
  r.mapping_efficiency_percent = 100.0;
  r.ifmap.dram_start_cycle = -128;
  const ScaleSimReportFiles files = format_scalesim_reports({r});
  CHECK(files.compute.rfind("LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, "
                            "Compute Util %,\n0, 6264, 4315, 0.0, 100.0, 0.0,\n",
                            0) == 0);
  CHECK(files.detailed_access.find("\n0, 0.0, 0.0, 0, 0.0, 0.0, 0, 0.0, 0.0, 0, -128.0, 0.0, 0,") !=
        std::string::npos);
}

}  // namespace npusim
