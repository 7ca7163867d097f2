#include "sim/report/timeline_writer.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

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

// The process and one named thread per lane of each track; returns each track's first thread id.
std::vector<uint32_t> write_threads(const std::vector<std::string>& tracks,
                                    const std::vector<size_t>& lanes_per_track, std::string& out) {
  std::vector<uint32_t> first_tid(tracks.size(), 0);
  out += R"({"name":"process_name","ph":"M","pid":1,"tid":0,"args":{"name":"npu"}})";
  uint32_t tid = 1;
  for (size_t t = 0; t < tracks.size(); ++t) {
    first_tid[t] = tid;
    for (size_t l = 0; l < lanes_per_track[t]; ++l, ++tid) {
      const std::string name = l == 0 ? tracks[t] : tracks[t] + "#" + std::to_string(l + 1);
      fmt::format_to(
          std::back_inserter(out),
          ",\n{{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":{},\"args\":{{\"name\":{}}}}}", tid,
          quoted(name));
      fmt::format_to(
          std::back_inserter(out),
          ",\n{{\"name\":\"thread_sort_index\",\"ph\":\"M\",\"pid\":1,\"tid\":{},\"args\":{{\"sort_"
          "index\":{}}}}}",
          tid, tid);
    }
  }
  return first_tid;
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

}  // namespace

std::string timeline_to_json(const SpanRecorder& recorder, const std::vector<TimelineLayer>& layers,
                             double clock_mhz) {
  const std::vector<Span>& spans = recorder.spans();
  const std::vector<std::string>& tracks = recorder.tracks();
  std::vector<size_t> lanes_per_track(tracks.size(), 0);
  const std::vector<uint32_t> lane = assign_lanes(spans, lanes_per_track);
  std::string out = "{\"traceEvents\":[\n";
  const std::vector<uint32_t> first_tid = write_threads(tracks, lanes_per_track, out);
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
        ",\n{{\"name\":\"{}\",\"cat\":\"npu\",\"ph\":\"X\",\"pid\":1,\"tid\":{},\"ts\":{},\"dur\":{},"
        "\"args\":{{\"layer\":{},\"cycles\":{},\"bytes\":{}",
        span_kind_name(s.kind), first_tid[s.track] + lane[i], us(s.start), us(s.end - s.start),
        layer_name(s.first_layer), s.busy, s.bytes);
    if (s.m != 0) fmt::format_to(std::back_inserter(out), ",\"tile\":\"{}x{}x{}\"", s.m, s.n, s.k);
    if (s.count > 1) fmt::format_to(std::back_inserter(out), ",\"aggregated\":{}", s.count);
    if (s.last_layer != s.first_layer)
      fmt::format_to(std::back_inserter(out), ",\"last_layer\":{}", layer_name(s.last_layer));
    out += "}}";
  }
  write_power(layers, clock_mhz, out);
  const bool aggregated = recorder.aggregation() != SpanAggregation::kNone;
  fmt::format_to(
      std::back_inserter(out),
      "\n],\n\"displayTimeUnit\":\"ns\",\n\"otherData\":{{\"generator\":\"npusim run --timeline\","
      "\"clock_mhz\":{},\"ts_unit\":\"us\",\"spans_recorded\":{},\"spans_written\":{},\"max_spans\":{},"
      "\"aggregated\":{},\"aggregation\":\"{}\"}}}}\n",
      clock_mhz, recorder.recorded(), spans.size(), recorder.max_spans(), aggregated,
      span_aggregation_name(recorder.aggregation()));
  return out;
}

}  // namespace npusim
