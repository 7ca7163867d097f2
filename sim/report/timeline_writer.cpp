#include "sim/report/timeline_writer.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace npusim {
namespace {

std::string quoted(const std::string& text) { return nlohmann::json(text).dump(); }

// Lanes: each span goes to the first lane of its track that is free by its start (spans of a track
// arrive in start order), so no two events of one thread overlap. Returns each span's lane and fills
// each track's lane count.
std::vector<uint32_t> assign_lanes(const std::vector<Span>& spans, std::vector<size_t>& lanes_per_track) {
  std::vector<std::vector<Cycles>> lane_end(lanes_per_track.size());
  std::vector<uint32_t> lane(spans.size(), 0);
  for (size_t i = 0; i < spans.size(); ++i) {
    std::vector<Cycles>& ends = lane_end[spans[i].track];
    uint32_t l = 0;
    while (l < ends.size() && ends[l] > spans[i].start) ++l;
    if (l == ends.size()) ends.push_back(0);
    ends[l] = spans[i].end;
    lane[i] = l;
  }
  for (size_t t = 0; t < lane_end.size(); ++t) lanes_per_track[t] = lane_end[t].size();
  return lane;
}

constexpr const char* kStallSuffix = ".stalls";

bool is_stall_kind(SpanKind kind) {
  return kind == SpanKind::kFill || kind == SpanKind::kStallMemory || kind == SpanKind::kStallDependency ||
         kind == SpanKind::kDrain;
}

// For each track "<engine>.stalls" whose engine track exists: that engine's index, so its idle spans
// share the engine's thread (they fill its gaps exactly, never overlap its work); else -1. Merged spans
// (an aggregated timeline) keep their own thread, where busy and idle time cannot mix.
std::vector<int> stall_hosts(const std::vector<std::string>& tracks, bool aggregated) {
  std::vector<int> host(tracks.size(), -1);
  if (aggregated) return host;
  const size_t suffix = std::string(kStallSuffix).size();
  for (size_t t = 0; t < tracks.size(); ++t) {
    const std::string& name = tracks[t];
    if (name.size() <= suffix || name.compare(name.size() - suffix, suffix, kStallSuffix) != 0) continue;
    for (size_t b = 0; b < tracks.size(); ++b) {
      if (tracks[b] == name.substr(0, name.size() - suffix)) host[t] = static_cast<int>(b);
    }
  }
  return host;
}

void write_thread(uint32_t tid, const std::string& name, std::string& out) {
  fmt::format_to(std::back_inserter(out),
                 ",\n{{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":{},\"args\":{{\"name\":{}}}}}", tid,
                 quoted(name));
  fmt::format_to(std::back_inserter(out),
                 ",\n{{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":{},\"args\":{{\"sort_"
                 "index\":{}}}}}",
                 tid, tid);
}

// The process and one named thread per lane of each track (a stall track hosted by its engine gets
// none); returns each track's first thread id and sets `next_tid` past the last.
std::vector<uint32_t> write_threads(const std::vector<std::string>& tracks, const std::vector<size_t>& lanes_per_track,
                                    const std::vector<int>& host, std::string& out, uint32_t& next_tid) {
  std::vector<uint32_t> first_tid(tracks.size(), 0);
  out += R"({"name":"process_name","ph":"M","pid":1,"tid":0,"args":{"name":"npu"}})";
  uint32_t tid = 1;
  for (size_t t = 0; t < tracks.size(); ++t) {
    if (host[t] >= 0) continue;
    first_tid[t] = tid;
    for (size_t l = 0; l < lanes_per_track[t]; ++l, ++tid)
      write_thread(tid, l == 0 ? tracks[t] : tracks[t] + "#" + std::to_string(l + 1), out);
  }
  for (size_t t = 0; t < tracks.size(); ++t) {
    if (host[t] >= 0) first_tid[t] = first_tid[static_cast<size_t>(host[t])];
  }
  next_tid = tid;
  return first_tid;
}

// The "layers" thread: one span per layer, from its start to the barrier that ends it.
void write_layer_track(const std::vector<TimelineLayer>& layers, double clock_mhz, uint32_t tid, std::string& out) {
  if (layers.empty()) return;
  write_thread(tid, "layers", out);
  const auto us = [clock_mhz](Cycles cycles) { return static_cast<double>(cycles) / clock_mhz; };
  for (size_t i = 0; i < layers.size(); ++i) {
    const TimelineLayer& layer = layers[i];
    fmt::format_to(std::back_inserter(out),
                   ",\n{{\"name\":{},\"cat\":\"layer\",\"ph\":\"X\",\"pid\":1,\"tid\":{},\"ts\":{},\"dur\":{},"
                   "\"args\":{{\"layer\":{},\"index\":{},\"cycles\":{},\"power_w\":{}}}}}",
                   quoted(layer.name), tid, us(layer.start_cycle), us(layer.end_cycle - layer.start_cycle),
                   quoted(layer.name), i, layer.end_cycle - layer.start_cycle, layer.power_w);
  }
}

// The power counter: each layer's average power from its start, 0 after the last layer.
void write_power(const std::vector<TimelineLayer>& layers, double clock_mhz, std::string& out) {
  const auto us = [clock_mhz](Cycles cycles) { return static_cast<double>(cycles) / clock_mhz; };
  for (const TimelineLayer& layer : layers) {
    fmt::format_to(std::back_inserter(out),
                   ",\n{{\"name\":\"power\",\"ph\":\"C\",\"pid\":1,\"ts\":{},\"args\":{{\"watts\":{}}}}}",
                   us(layer.start_cycle), layer.power_w);
  }
  if (!layers.empty()) {
    fmt::format_to(std::back_inserter(out),
                   ",\n{{\"name\":\"power\",\"ph\":\"C\",\"pid\":1,\"ts\":{},\"args\":{{\"watts\":0}}}}",
                   us(layers.back().end_cycle));
  }
}

// DRAM bandwidth over time from the DRAM channel tracks: bins of dram_bin_cycles(end), each span's bytes
// spread evenly over its cycles (all in its first bin when it has none), read and written GB/s per bin,
// 0 after the run.
void write_dram_bandwidth(const std::vector<Span>& spans, const std::vector<std::string>& tracks, Cycles end,
                          double clock_mhz, std::string& out) {
  const Cycles bin = dram_bin_cycles(end);
  if (end == 0) return;
  const size_t bins = static_cast<size_t>((end + bin - 1) / bin);
  std::vector<double> read(bins, 0.0), write(bins, 0.0);
  bool any = false;
  for (const Span& s : spans) {
    // DRAM channel tracks only (DMA spans carry the same bytes again).
    if (s.bytes == 0 || tracks[s.track].find(".dram.ch") == std::string::npos) continue;
    any = true;
    // A merged span of an aggregated timeline mixes both directions: counted as reads.
    std::vector<double>& into = s.kind == SpanKind::kDramWrite ? write : read;
    const double per_cycle = static_cast<double>(s.bytes) / static_cast<double>(std::max<Cycles>(s.end - s.start, 1));
    for (Cycles at = s.start; at < std::max(s.end, s.start + 1);) {
      const size_t b = std::min<size_t>(static_cast<size_t>(at / bin), bins - 1);
      const Cycles bin_end = std::min<Cycles>((b + 1) * bin, std::max(s.end, s.start + 1));
      into[b] += per_cycle * static_cast<double>(bin_end - at);
      at = bin_end;
    }
  }
  if (!any) return;
  const double bin_s = static_cast<double>(bin) / (clock_mhz * 1e6);
  for (size_t b = 0; b < bins; ++b) {
    fmt::format_to(std::back_inserter(out),
                   ",\n{{\"name\":\"dram_bandwidth\",\"ph\":\"C\",\"pid\":1,\"ts\":{},\"args\":{{"
                   "\"read_gbytes_per_s\":{},\"write_gbytes_per_s\":{}}}}}",
                   static_cast<double>(b * bin) / clock_mhz, read[b] / bin_s / 1e9, write[b] / bin_s / 1e9);
  }
  fmt::format_to(std::back_inserter(out),
                 ",\n{{\"name\":\"dram_bandwidth\",\"ph\":\"C\",\"pid\":1,\"ts\":{},\"args\":{{"
                 "\"read_gbytes_per_s\":0,\"write_gbytes_per_s\":0}}}}",
                 static_cast<double>(bins * bin) / clock_mhz);
}

}  // namespace

Cycles dram_bin_cycles(Cycles run_cycles) {
  return std::max<Cycles>(1, (run_cycles + kDramBandwidthBins - 1) / kDramBandwidthBins);
}

std::string timeline_to_json(const SpanRecorder& recorder, const std::vector<TimelineLayer>& layers,
                             double clock_mhz) {
  const std::vector<Span>& spans = recorder.spans();
  const std::vector<std::string>& tracks = recorder.tracks();
  const bool aggregated = recorder.aggregation() != SpanAggregation::kNone;
  std::vector<size_t> lanes_per_track(tracks.size(), 0);
  const std::vector<uint32_t> lane = assign_lanes(spans, lanes_per_track);
  const std::vector<int> host = stall_hosts(tracks, aggregated);
  std::string out = "{\"traceEvents\":[\n";
  uint32_t layer_tid = 0;
  const std::vector<uint32_t> first_tid = write_threads(tracks, lanes_per_track, host, out, layer_tid);
  std::vector<std::string> layer_names;
  for (const TimelineLayer& layer : layers) layer_names.push_back(quoted(layer.name));
  const auto layer_name = [&](uint32_t index) {
    return index < layer_names.size() ? layer_names[index] : std::string("\"\"");
  };
  const auto us = [clock_mhz](Cycles cycles) { return static_cast<double>(cycles) / clock_mhz; };
  for (size_t i = 0; i < spans.size(); ++i) {
    const Span& s = spans[i];
    fmt::format_to(
        std::back_inserter(out),
        ",\n{{\"name\":\"{}\",\"cat\":\"{}\",\"ph\":\"X\",\"pid\":1,\"tid\":{},\"ts\":{},\"dur\":{},"
        "\"args\":{{\"layer\":{},\"cycles\":{},\"bytes\":{}",
        span_kind_name(s.kind), is_stall_kind(s.kind) ? "stall" : "npu",
        first_tid[s.track] + (host[s.track] >= 0 ? 0 : lane[i]), us(s.start), us(s.end - s.start),
        layer_name(s.first_layer), s.busy, s.bytes);
    if (s.m != 0) fmt::format_to(std::back_inserter(out), ",\"tile\":\"{}x{}x{}\"", s.m, s.n, s.k);
    if (s.count > 1) fmt::format_to(std::back_inserter(out), ",\"aggregated\":{}", s.count);
    if (s.last_layer != s.first_layer)
      fmt::format_to(std::back_inserter(out), ",\"last_layer\":{}", layer_name(s.last_layer));
    out += "}}";
  }
  write_layer_track(layers, clock_mhz, layer_tid, out);
  write_power(layers, clock_mhz, out);
  write_dram_bandwidth(spans, tracks, layers.empty() ? 0 : layers.back().end_cycle, clock_mhz, out);
  fmt::format_to(
      std::back_inserter(out),
      "\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{{\"generator\":\"npusim run --timeline\","
      "\"clock_mhz\":{},\"ts_unit\":\"us\",\"spans_recorded\":{},\"spans_written\":{},\"max_spans\":{},"
      "\"aggregated\":{},\"aggregation\":\"{}\",\"dram_bandwidth_bin_cycles\":{}}}}}\n",
      clock_mhz, recorder.recorded(), spans.size(), recorder.max_spans(), aggregated,
      span_aggregation_name(recorder.aggregation()), dram_bin_cycles(layers.empty() ? 0 : layers.back().end_cycle));
  return out;
}

}  // namespace npusim
