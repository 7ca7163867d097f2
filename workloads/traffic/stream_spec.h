// Periodic streams for `npusim serve` (issue 15): cameras or sensors that each deliver a frame every
// period to a model, or to a small pipeline (a detector, then a per-object classifier run once per frame
// on that frame's detected objects as one batch). Read from the `streams` array of a traffic file
// (traces/README.md "Stream traffic", schema traces/npusim-traffic.schema.json).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "workloads/traffic/serve_request.h"

namespace npusim {

// Objects per frame handed to a pipeline stage: fixed, uniform [low, high] or Poisson(mean), capped at max.
struct ObjectCount {
  enum class Kind { kFixed, kUniform, kPoisson } kind = Kind::kFixed;
  double low = 1.0;   // fixed count, uniform low, Poisson mean
  double high = 1.0;  // uniform high
  uint32_t max = 1;   // the cap (and the largest batch the stage is simulated at)
  std::string text;   // for reports
};

// Draws one count; deterministic under the rng's seed (Poisson by Knuth's product of uniforms).
uint32_t sample_objects(const ObjectCount& count, std::mt19937_64& rng);

struct PipelineStage {
  std::string model;  // zoo spec
  ObjectCount objects;
};

inline constexpr uint32_t kMaxStreamCount = 100000;  // cameras in one stream entry
inline constexpr uint32_t kMaxObjectsPerFrame = 256;
inline constexpr size_t kMaxPipelineStages = 3;  // after the first model

struct StreamSpec {
  std::string name;
  std::string model;                    // the first stage (batch = frames)
  std::vector<PipelineStage> pipeline;  // later stages, each at batch = objects of the frames
  double rate_hz = 0.0;
  uint32_t count = 1;       // identical sources (cameras) of this stream
  double deadline_s = 0.0;  // from the frame's arrival; default the period
  double phase_s = 0.0;     // first frame of every camera
  double jitter_s = 0.0;    // each frame arrives uniformly in [nominal, nominal + jitter_s)
  int32_t priority = 0;     // lower is more urgent (vLLM's convention, as for requests)
  uint32_t cores = 0;       // --policy partition: cores dedicated to it (0: an even share)
  size_t index = 0;         // position in the file's array (for field paths)
  double period_s() const { return 1.0 / rate_hz; }
};

struct TrafficFile {
  std::vector<StreamSpec> streams;
  std::vector<ServeRequest> requests;  // LLM requests beside the streams (may be empty)
};

// Whether a `.json` traffic file is a stream traffic file (a top-level object with `streams`).
bool is_stream_traffic(const nlohmann::json& document);

// Parses a stream traffic file's document; errors name `file` and the JSON path (streams[2].rate_hz).
TrafficFile parse_stream_traffic(const nlohmann::json& document, const std::string& file);

// All the zoo specs the streams run, first stage and pipeline stages, each once, in first-use order.
std::vector<std::string> stream_models(const std::vector<StreamSpec>& streams);

}  // namespace npusim
