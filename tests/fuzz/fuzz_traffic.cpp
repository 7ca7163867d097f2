// libFuzzer target: the traffic files `npusim serve --traffic` reads. The first byte chooses: 0 a request
// trace (JSON Lines), 1 a `.json` traffic file, read as serve reads it: a stream traffic file (`streams`,
// optional `requests`) with every stream's models loaded as serve checks them, else an op trace whose
// `requests` become serving requests. Any input either parses or raises InputError; a parsed request
// trace written back must parse to the same text (writer and reader agree).
#include <cstdint>
#include <cstdlib>
#include <random>
#include <string>

#include "arch/spec/input_error.h"
#include "arch/spec/json_text.h"
#include "sim/run/workload_loader.h"
#include "workloads/importers/trace_json.h"
#include "workloads/traffic/op_trace_requests.h"
#include "workloads/traffic/request_trace.h"
#include "workloads/traffic/stream_spec.h"
#include "workloads/workload_spec.h"

namespace {

void request_trace(const std::string& text) {
  const std::string written = npusim::format_request_trace(npusim::parse_request_trace(text, "fuzz.jsonl"));
  if (npusim::format_request_trace(npusim::parse_request_trace(written, "written.jsonl")) != written) std::abort();
}

// Every stream's models load (serve's check, sim/serve/stream_setup.cpp), and the object counts stay
// within their caps when drawn.
void stream_traffic(const nlohmann::json& document) {
  const npusim::TrafficFile traffic = npusim::parse_stream_traffic(document, "fuzz.json");
  for (const std::string& model : npusim::stream_models(traffic.streams)) {
    npusim::parse_workload_spec(model);
    npusim::load_workload(npusim::WorkloadRequest{model, 0, std::nullopt}, npusim::DType::kInt8);
  }
  std::mt19937_64 rng(1);
  for (const npusim::StreamSpec& stream : traffic.streams)
    for (const npusim::PipelineStage& stage : stream.pipeline)
      for (int draw = 0; draw < 4; ++draw)
        if (npusim::sample_objects(stage.objects, rng) > stage.objects.max) std::abort();
}

void traffic_json(const std::string& text) {
  const nlohmann::json document = npusim::parse_json_text(text, "fuzz.json");
  if (npusim::is_stream_traffic(document)) {
    stream_traffic(document);
    return;
  }
  const npusim::Workload trace = npusim::parse_trace_json(text, "fuzz.json", npusim::TraceImportOptions{});
  npusim::serve_requests_from_op_trace(trace.requests, "fuzz.json");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (data[0] % 2 == 0) {
      request_trace(text);
    } else {
      traffic_json(text);
    }
  } catch (const npusim::InputError&) {
  }
  return 0;
}
