// The fleet spec (`npusim fleet SPEC`, schema in configs/fleet/README.md): demands, candidate devices
// with their prices, and the economics; read into plain structs with one-line errors naming the field.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/fleet/fleet_sizing.h"

namespace npusim {

// Periodic camera-like streams: `count` streams (cameras) of one traffic-file stream entry (model or
// pipeline, rate_hz, deadline_s, jitter, ...; workloads/traffic/stream_spec.h). Capacity per device is
// `npusim serve --find-max-streams` on that entry (method find_max_streams, with the serve flags in
// `serve_args`), or the serial bound from one `npusim run` of its model (method serial_latency).
struct StreamDemandSpec {
  std::string model;  // the first stage's zoo workload, e.g. "yolov5s"
  double rate_hz = 0;
  double count = 0;
  double deadline_s = 0;
  bool serial_latency = false;
  nlohmann::json traffic;                // {"streams": [the entry, named after the demand, count 1]}
  std::vector<std::string> serve_args;   // --policy, --duration-s, ... for find_max_streams
};

// LLM request traffic at rate_per_s under an SLO; `serve_args` are the `npusim serve` options that
// shape one device's traffic (model, slo, token distributions, scheduler limits).
struct LlmDemandSpec {
  double rate_per_s = 0;
  std::vector<std::string> serve_args;
  std::string model;
  std::string slo;
};

struct DemandSpec {
  std::string name;
  bool is_llm = false;
  StreamDemandSpec streams;
  LlmDemandSpec llm;
  std::string path;  // "demands[1]", for messages
};

struct CandidateSpec {
  std::string name;
  // A multi-chip system (configs/systems/) is `chips` replicas of its chip: each chip serves its own
  // share of a demand (data parallel, no tensor parallelism), so its capacity is chips x one chip's.
  std::string system;
  uint32_t chips = 1;
  std::string npu;  // exactly one of npu and gpu (from the system when one is given)
  std::string gpu;
  double gpu_memory_gib = 0;  // gpu: its DRAM for weights and KV cache (GPU presets carry no capacity)
  std::vector<std::string> overrides;  // "npu.x=..." / "gpu.x=..." as --set
  double unit_price_usd = 0;
  double board_power_w = 0;  // default: the preset's TDP
  std::string path;  // "candidates[2]"
  bool is_gpu() const { return !gpu.empty(); }
  std::string device() const { return !system.empty() ? system : is_gpu() ? gpu : npu; }
};

struct FleetSpec {
  std::string file;
  std::vector<DemandSpec> demands;
  std::vector<CandidateSpec> candidates;
  FleetEconomics economics;
};

// Reads and validates SPEC: unknown keys, missing prices or powers, unknown presets and models, rates
// and deadlines <= 0 all throw InputError naming the file and field path.
FleetSpec load_fleet_spec(const std::string& file);

// The demands as the sizing arithmetic sees them (amount and unit).
std::vector<FleetDemand> fleet_demands(const FleetSpec& spec);

}  // namespace npusim
