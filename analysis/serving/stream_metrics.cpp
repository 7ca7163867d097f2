#include "analysis/serving/stream_metrics.h"

#include <algorithm>

#include "analysis/serving/serving_metrics.h"

namespace npusim {
namespace {

nlohmann::ordered_json latency_json(const std::vector<double>& latencies) {
  const LatencySummary s = summarize_latencies(latencies);
  const double max = latencies.empty() ? 0.0 : *std::max_element(latencies.begin(), latencies.end());
  return {{"mean", s.mean}, {"p50", s.p50}, {"p90", s.p90}, {"p99", s.p99}, {"max", max}};
}

std::string pipeline_text(const StreamSpec& s) {
  std::string text = s.model;
  for (const PipelineStage& stage : s.pipeline) text += " -> " + stage.model + " x " + stage.objects.text;
  return text;
}

}  // namespace

double deadline_miss_ratio(const StreamRecord& r) {
  return r.frames == 0 ? 0.0 : static_cast<double>(r.late + r.dropped) / static_cast<double>(r.frames);
}

bool meets_every_deadline(const StreamRecord& r) { return r.late == 0 && r.dropped == 0; }

nlohmann::ordered_json stream_entries_json(const StreamDeviceRun& run, const std::string& device) {
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (size_t i = 0; i < run.streams.size(); ++i) {
    const StreamSpec& s = run.streams[i];
    const StreamRecord& r = run.records[i];
    const uint64_t completed = r.latencies_s.size();
    entries.push_back(
        {{"name", s.name},
         {"device", device},
         {"pipeline", pipeline_text(s)},
         {"rate_hz", s.rate_hz},
         {"count", s.count},
         {"deadline_s", s.deadline_s},
         {"priority", s.priority},
         {"cores", run.cores[i]},
         {"frames", r.frames},
         {"completed_frames", completed},
         {"dropped_frames", r.dropped},
         {"late_frames", r.late},
         {"deadline_miss_ratio", deadline_miss_ratio(r)},
         {"latency_s", latency_json(r.latencies_s)},
         {"preemptions", r.preemptions},
         {"batches", r.batches},
         {"mean_batch_frames",
          r.batches == 0 ? 0.0 : static_cast<double>(completed) / static_cast<double>(r.batches)},
         {"energy_j", r.energy_j},
         {"energy_per_frame_j", completed == 0 ? 0.0 : r.energy_j / static_cast<double>(completed)}});
  }
  return entries;
}

nlohmann::ordered_json stream_device_json(const StreamDeviceRun& run, const std::string& device,
                                          const std::string& policy) {
  uint64_t completed = 0;
  for (const StreamRecord& r : run.records) completed += r.latencies_s.size();
  const double span = run.span_s > 0 ? run.span_s : 1.0;
  return {{"device", device},
          {"policy", policy},
          {"span_s", run.span_s},
          {"busy_s", run.busy_s},
          {"utilization", run.busy_s / span},
          {"energy_j", run.energy_j},
          {"average_power_w", run.energy_j / span},
          {"completed_frames", completed},
          {"frames_per_j", run.energy_j > 0 ? static_cast<double>(completed) / run.energy_j : 0.0}};
}

}  // namespace npusim
