// Real-time metrics of periodic streams on one device: per stream, frame latency (arrival to completion)
// mean and percentiles, deadline misses (frames completed late plus frames dropped, over frames arrived),
// and energy; per device, utilisation (busy time over the run) and average power.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/serving/frame_scheduler.h"

namespace npusim {

// One device's (or one partition's) frame run: the scheduler's records and the engine's clock.
struct StreamDeviceRun {
  std::vector<StreamSpec> streams;
  std::vector<StreamRecord> records;  // per stream, same order
  std::vector<uint32_t> cores;        // per stream: cores it ran on (all of the chip unless partitioned)
  double span_s = 0.0;                // 0 to the last completion (at least the arrival window)
  double busy_s = 0.0;                // summed over partitions, each weighted by its share of the cores
  double energy_j = 0.0;              // frames, LLM iterations and idle time
};

double deadline_miss_ratio(const StreamRecord& record);
bool meets_every_deadline(const StreamRecord& record);

// The per-stream entries of result.json's `streams` (or `gpu_streams`) array.
nlohmann::ordered_json stream_entries_json(const StreamDeviceRun& run, const std::string& device);

// {device, policy, span_s, utilization, energy_j, average_power_w, frames_per_j}.
nlohmann::ordered_json stream_device_json(const StreamDeviceRun& run, const std::string& device,
                                          const std::string& policy);

}  // namespace npusim
