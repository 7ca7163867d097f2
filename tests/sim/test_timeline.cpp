// `npusim run --timeline`: the Perfetto trace-event file, checked end to end through the CLI.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "arch/isa/span_recorder.h"
#include "tests/sim/cli_harness.h"

using namespace npusim_test;

namespace {

struct Timeline {
  nlohmann::json doc;
  std::map<int, std::string> thread;  // tid -> thread_name
  std::vector<nlohmann::json> spans;        // "X" events of the recorded tracks (work and stalls)
  std::vector<nlohmann::json> layer_spans;  // "X" events of the "layers" thread
  std::vector<nlohmann::json> counters;     // the "power" counter
  std::vector<nlohmann::json> dram;         // the "dram_bandwidth" counter
  size_t events = 0;
  size_t metadata = 0;
};

Timeline load_timeline(const std::string& path) {
  Timeline t;
  t.doc = nlohmann::json::parse(read_file(path));
  for (const auto& event : t.doc.at("traceEvents")) {
    ++t.events;
    const std::string ph = event.at("ph");
    if (ph == "M") {
      ++t.metadata;
      if (event.at("name") == "thread_name") t.thread[event.at("tid").get<int>()] = event["args"]["name"];
    } else if (ph == "X") {
      (event.at("cat") == "layer" ? t.layer_spans : t.spans).push_back(event);
    } else if (ph == "C") {
      (event.at("name") == "power" ? t.counters : t.dram).push_back(event);
    }
  }
  return t;
}

bool has_thread(const Timeline& t, const std::string& name) {
  return std::any_of(t.thread.begin(), t.thread.end(),
                     [&](const auto& entry) { return entry.second == name; });
}

// Cycles of every work span (not the stall spans sharing the thread) on the threads named `name` or
// `name#<lane>`.
uint64_t track_cycles(const Timeline& t, const std::string& name) {
  uint64_t sum = 0;
  for (const auto& span : t.spans) {
    if (span["cat"] == "stall") continue;
    const std::string& thread = t.thread.at(span["tid"].get<int>());
    if (thread == name || thread.rfind(name + "#", 0) == 0) sum += span["args"]["cycles"].get<uint64_t>();
  }
  return sum;
}

uint64_t layer_sum(const nlohmann::json& result, const std::string& key) {
  uint64_t sum = 0;
  for (const auto& row : result["layers"]) sum += row[key].get<uint64_t>();
  return sum;
}

// `npusim run -q --gpu none ARGUMENTS` with its result and timeline written into the fresh folder `name`.
struct TimelineRun {
  Timeline timeline;
  nlohmann::json result;
};

TimelineRun run_with_timeline(const std::string& name, const std::string& arguments) {
  const std::string out = fresh_dir(name);
  const std::string file = out + "/timeline.json";
  nlohmann::json result = run_result_json("run -q --gpu none " + arguments + " --timeline " + file, out);
  return {load_timeline(file), std::move(result)};
}

}  // namespace

TEST_CASE("timeline: tracks, non-overlapping spans, busy cycles and the power counter") {
  const TimelineRun run = run_with_timeline("timeline", "--npu edge-int8 --workload mobilenetv2");
  const Timeline& t = run.timeline;
  const nlohmann::json& result = run.result;

  CHECK(t.doc.at("displayTimeUnit") == "ns");
  CHECK(t.doc.at("otherData").at("aggregated") == false);
  for (const char* track : {"npu.core0.array", "npu.core0.vector", "npu.core0.dma.load",
                            "npu.core0.dma.store", "npu.dram.ch0", "npu.dram.ch1"}) {
    CAPTURE(track);
    CHECK(has_thread(t, track));
  }
  // Every recorded span was written, and a thread's spans never overlap (DMA transfers in flight together
  // go to lanes "#2", ...). ts and dur are cycles / clock_mhz, so compare in cycles with a rounding margin.
  REQUIRE_FALSE(t.spans.empty());
  CHECK(t.doc["otherData"]["spans_written"] == t.spans.size());
  CHECK(t.doc["otherData"]["spans_recorded"] == t.spans.size());
  const double mhz = t.doc["otherData"]["clock_mhz"].get<double>();
  const auto cycle = [mhz](double us) { return std::llround(us * mhz); };
  std::map<int, long long> thread_end;  // tid -> end cycle of its latest span
  bool overlap = false;
  for (const auto& span : t.spans) {
    const double ts = span["ts"].get<double>(), dur = span["dur"].get<double>();
    CHECK(ts >= 0.0);
    CHECK(dur >= 0.0);
    const int tid = span["tid"].get<int>();
    if (thread_end.count(tid) && cycle(ts) < thread_end[tid]) overlap = true;
    thread_end[tid] = cycle(ts + dur);
    CHECK(span["args"].contains("layer"));
  }
  CHECK_FALSE(overlap);
  // One span per command: the array's spans add up to what the layer rows count as array busy time,
  // which the rows expose as engine_busy_cycles for array layers (the engine is the array whenever a
  // layer has tiles), and there is one array span per tile.
  uint64_t array_busy = 0, tiles = 0;
  for (const auto& row : result["layers"]) {
    if (row["unit"] == "array") {
      array_busy += row["engine_busy_cycles"].get<uint64_t>();
      tiles += row["tiles"].get<uint64_t>();
    }
  }
  CHECK(track_cycles(t, "npu.core0.array") == array_busy);
  CHECK(std::count_if(t.spans.begin(), t.spans.end(), [](const auto& s) { return s["name"] == "compute"; }) ==
        static_cast<std::ptrdiff_t>(tiles));
  // Every DRAM byte crosses a channel exactly once.
  uint64_t dram_bytes = 0;
  for (const auto& span : t.spans) {
    const std::string name = span["name"];
    if (name == "dram_read" || name == "dram_write") dram_bytes += span["args"]["bytes"].get<uint64_t>();
  }
  CHECK(dram_bytes == layer_sum(result, "dram_read_bytes") + layer_sum(result, "dram_write_bytes"));
  // Power: one sample per layer start plus a closing 0; each layer's is its energy / time.
  REQUIRE(t.counters.size() == result["layers"].size() + 1);
  for (size_t i = 0; i < result["layers"].size(); ++i) {
    CHECK(t.counters[i]["name"] == "power");
    CHECK(t.counters[i]["args"]["watts"].get<double>() ==
          doctest::Approx(result["layers"][i]["power_w"].get<double>()));
  }
  CHECK(t.counters.back()["args"]["watts"] == 0);
}

TEST_CASE("timeline: bounded by --timeline-max-spans, busy cycles kept") {
  const TimelineRun run =
      run_with_timeline("timeline_bounded", "--npu edge-int8 --workload resnet50 --timeline-max-spans 50");
  const Timeline& t = run.timeline;
  const nlohmann::json& result = run.result;
  CHECK(t.spans.size() <= 50);
  CHECK(t.layer_spans.size() == result["layers"].size());
  // Beyond them only the per-layer track and the counters.
  CHECK(t.events <= 50 + t.metadata + t.counters.size() + t.dram.size() + t.layer_spans.size());
  CHECK(t.doc["otherData"]["aggregated"] == true);
  CHECK(t.doc["otherData"]["spans_recorded"].get<uint64_t>() > 50);
  CHECK(std::any_of(t.spans.begin(), t.spans.end(),
                    [](const auto& s) { return s["args"].contains("aggregated"); }));
  // Merging keeps the summed cycles: the array still adds up to the rows' busy time.
  uint64_t array_busy = 0;
  for (const auto& row : result["layers"])
    if (row["unit"] == "array") array_busy += row["engine_busy_cycles"].get<uint64_t>();
  CHECK(track_cycles(t, "npu.core0.array") == array_busy);
}

TEST_CASE("timeline: a multi-core NPU has one track per core unit and per NoC link used") {
  const std::string out = fresh_dir("timeline_multicore");
  const std::string file = out + "/timeline.json";
  const CommandResult run =
      run_npusim("run -q --npu furiosa-warboy --gpu none --workload mobilenetv2 --timeline " + file);
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  const Timeline t = load_timeline(file);
  CHECK(has_thread(t, "npu.core1.array"));
  CHECK(std::any_of(t.thread.begin(), t.thread.end(),
                    [](const auto& entry) { return entry.second.rfind("npu.noc.link", 0) == 0; }));
}

TEST_CASE("timeline: the same run writes the same bytes") {
  const std::string out = fresh_dir("timeline_deterministic");
  const std::string args = "run -q --npu edge-int8 --gpu none --workload gemm:m=256,n=256,k=256 --timeline ";
  REQUIRE(run_npusim(args + out + "/a.json").exit_code == 0);
  REQUIRE(run_npusim(args + out + "/b.json").exit_code == 0);
  CHECK(read_file(out + "/a.json") == read_file(out + "/b.json"));
}

TEST_CASE("timeline: a bad path or span limit is an input error") {
  const std::string out = fresh_dir("timeline_bad");
  const std::string blocker = write_file(out, "file", "not a directory");
  check_rejected("run -q --npu edge-int8 --gpu none --workload gemm:m=64,n=64,k=64 --timeline " + blocker +
                     "/timeline.json",
                 blocker);
  check_rejected("run -q --npu edge-int8 --workload resnet50 --timeline x.json --timeline-max-spans 0",
                 "--timeline-max-spans");
}

TEST_CASE("span recorder: past max_spans, a track's spans merge per layer, cycles and bytes summed") {
  npusim::SpanRecorder recorder(3);
  const uint32_t a = recorder.add_track("a");
  const uint32_t b = recorder.add_track("b", /*fifo=*/true);
  recorder.record(a, npusim::SpanKind::kCompute, 0, 10, 0, 8, 8, 8);
  recorder.record(b, npusim::SpanKind::kDramRead, 0, 5, 100);
  recorder.record(b, npusim::SpanKind::kDramWrite, 4, 9, 50);  // fifo: starts at 5, the previous end
  CHECK(recorder.spans()[2].start == 5);
  CHECK(recorder.aggregation() == npusim::SpanAggregation::kNone);
  recorder.record(a, npusim::SpanKind::kCompute, 10, 20, 0);  // a 4th span: merge per (track, layer)
  REQUIRE(recorder.aggregation() == npusim::SpanAggregation::kPerLayer);
  REQUIRE(recorder.spans().size() == 2);
  recorder.begin_layer(1);
  recorder.record(a, npusim::SpanKind::kCompute, 25, 30, 0);  // a new layer: a new span
  const auto& spans = recorder.spans();
  REQUIRE(spans.size() == 3);
  // a: [0, 20), 10 + 10 busy cycles; b: [0, 9), 5 + 4 cycles (the write clamped to [5, 9)), 150 bytes
  CHECK((spans[0].start == 0 && spans[0].end == 20 && spans[0].busy == 20 && spans[0].count == 2));
  CHECK((spans[1].start == 0 && spans[1].end == 9 && spans[1].busy == 9 && spans[1].bytes == 150));
  CHECK(spans[1].kind == npusim::SpanKind::kMixed);
  CHECK(recorder.recorded() == 5);
  recorder.finish();  // 3 spans <= 3: nothing more to do
  CHECK(recorder.aggregation() == npusim::SpanAggregation::kPerLayer);
}

TEST_CASE("span recorder: finish groups consecutive spans when per-layer merging is not enough") {
  npusim::SpanRecorder recorder(2);
  const uint32_t a = recorder.add_track("a");
  for (uint32_t layer = 0; layer < 5; ++layer) {
    recorder.begin_layer(layer);
    recorder.record(a, npusim::SpanKind::kVector, 10 * layer, 10 * layer + 4, 1);
  }
  recorder.finish();
  // 5 layers, one track, budget 2 spans: groups of ceil(5 / 2) = 3, so layers 0-2 and 3-4.
  const auto& spans = recorder.spans();
  REQUIRE(spans.size() == 2);
  CHECK(recorder.aggregation() == npusim::SpanAggregation::kGrouped);
  CHECK((spans[0].first_layer == 0 && spans[0].last_layer == 2 && spans[0].busy == 12 && spans[0].end == 24));
  CHECK(
      (spans[1].first_layer == 3 && spans[1].last_layer == 4 && spans[1].count == 2 && spans[1].bytes == 2));
}

TEST_CASE("timeline: a per-layer track, stall spans that add up to the rows' stall counters, DRAM bandwidth") {
  const TimelineRun run = run_with_timeline("timeline_stalls", "--npu edge-int8 --workload mobilenetv2");
  const Timeline& t = run.timeline;
  const nlohmann::json& result = run.result;
  const double mhz = t.doc["otherData"]["clock_mhz"].get<double>();
  const auto cycle = [mhz](double us) { return std::llround(us * mhz); };

  // One span per layer on "layers", from the layer's start to its end: its duration is the row's cycles.
  REQUIRE(has_thread(t, "layers"));
  REQUIRE(t.layer_spans.size() == result["layers"].size());
  for (size_t i = 0; i < t.layer_spans.size(); ++i) {
    CHECK(t.layer_spans[i]["args"]["layer"] == result["layers"][i]["name"]);
    CHECK(t.layer_spans[i]["args"]["cycles"] == result["layers"][i]["cycles"]);
  }

  // The array's stall spans share its thread. Per array layer (one core): drain = stall_drain_cycles,
  // and fill + memory + dependency = stall_memory + stall_dependency (the engine's gaps before its
  // last command, split as the counters split them); a fill starts when its layer starts.
  std::map<std::string, long long> layer_start;
  for (const auto& span : t.layer_spans) layer_start[span["args"]["layer"]] = cycle(span["ts"].get<double>());
  std::map<std::string, std::map<std::string, uint64_t>> stalls;  // layer -> kind -> cycles
  for (const auto& span : t.spans) {
    if (span["cat"] != "stall") continue;
    CHECK(t.thread.at(span["tid"].get<int>()).rfind("npu.core0.", 0) == 0);
    if (t.thread.at(span["tid"].get<int>()) != "npu.core0.array") continue;
    const std::string layer = span["args"]["layer"];
    if (span["name"] == "fill") CHECK(cycle(span["ts"].get<double>()) == layer_start[layer]);
    stalls[layer][span["name"].get<std::string>()] += span["args"]["cycles"].get<uint64_t>();
  }
  size_t array_layers = 0;
  for (const auto& row : result["layers"]) {
    if (row["unit"] != "array") continue;
    ++array_layers;
    CAPTURE(row["name"]);
    auto& s = stalls[row["name"].get<std::string>()];
    CHECK(s["drain"] == row["stall_drain_cycles"].get<uint64_t>());
    CHECK(s["fill"] + s["memory_stall"] + s["dependency_stall"] ==
          row["stall_memory_cycles"].get<uint64_t>() + row["stall_dependency_cycles"].get<uint64_t>());
  }
  CHECK(array_layers > 10);

  // DRAM bandwidth: bins of B cycles; bytes = GB/s x 1e9 x B / (MHz x 1e6) summed over bins equals
  // every byte the rows moved to or from DRAM; the counter returns to 0 after the run.
  REQUIRE(t.dram.size() >= 2);
  const double bin_s = t.doc["otherData"]["dram_bandwidth_bin_cycles"].get<double>() / (mhz * 1e6);
  double bytes = 0;
  for (const auto& sample : t.dram)
    bytes += (sample["args"]["read_gbytes_per_s"].get<double>() + sample["args"]["write_gbytes_per_s"].get<double>()) *
             1e9 * bin_s;
  CHECK(bytes == doctest::Approx(static_cast<double>(layer_sum(result, "dram_read_bytes") +
                                                     layer_sum(result, "dram_write_bytes")))
                     .epsilon(1e-9));
  CHECK(t.dram.back()["args"]["read_gbytes_per_s"] == 0);
  CHECK(cycle(t.dram.back()["ts"].get<double>()) >= static_cast<long long>(result["totals"]["cycles"].get<uint64_t>()));
}
