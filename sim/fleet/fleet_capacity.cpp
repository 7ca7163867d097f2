#include "sim/fleet/fleet_capacity.h"

#include <fmt/format.h>
#include <sys/wait.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>

#include "analysis/serving/serving_metrics.h"
#include "arch/spec/input_error.h"
#include "sim/io/child_process.h"
#include "sim/io/config_loader.h"
#include "sim/io/text_file.h"

namespace npusim {
namespace {

struct WorkerOutcome {
  bool ok = false;
  std::string error;  // the worker's last stderr line when it failed
};

// Runs `npusim ARGS` with stdout discarded and stderr kept in dir/stderr.txt.
WorkerOutcome run_worker(const std::vector<std::string>& args, const std::string& dir) {
  std::vector<std::string> argv{self_executable()};
  argv.insert(argv.end(), args.begin(), args.end());
  const std::string stderr_file = dir + "/stderr.txt";
  const pid_t pid = start_child(argv, {open_child_output("/dev/null"), open_child_output(stderr_file)});
  if (pid < 0) throw std::runtime_error("fork failed");
  const std::optional<int> waited = wait_child(pid);
  if (!waited) throw std::runtime_error("cannot wait for the worker");
  const int status = *waited;
  WorkerOutcome out;
  out.ok = exited_zero(status);
  if (!out.ok) out.error = last_line(read_text_file(stderr_file).value_or(""));
  if (!out.ok && out.error.empty()) {
    out.error = WIFSIGNALED(status) ? fmt::format("worker killed by signal {}", WTERMSIG(status))
                                    : fmt::format("worker exited with status {} without a message", WEXITSTATUS(status));
  }
  return out;
}

std::vector<std::string> device_args(const CandidateSpec& c) {
  std::vector<std::string> args;
  if (c.is_gpu()) {
    args = {"--npu", kGpuHostNpu, "--gpu", c.gpu};
  } else {
    args = {"--npu", c.npu};
  }
  for (const std::string& o : c.overrides) {
    args.push_back("--set");
    args.push_back(o);
  }
  return args;
}

// For `npusim serve`: the device, and the GPU side only when the candidate is a GPU.
std::vector<std::string> serve_device_args(const CandidateSpec& c) {
  std::vector<std::string> args = device_args(c);
  if (c.is_gpu()) {
    args.insert(args.end(), {"--gpu-memory-gib", fmt::format("{}", c.gpu_memory_gib)});
  } else {
    args.insert(args.end(), {"--gpu", "none"});
  }
  return args;
}

// Runs `npusim ARGS --quiet --out DIR/out` and returns its result.json; on failure, says why in
// m.capacity.limit ("<command> failed: ...") and returns nothing.
std::optional<nlohmann::json> worker_result(std::vector<std::string> args, const std::string& dir,
                                            MeasuredCapacity& m) {
  const std::string command = args.front();
  args.insert(args.end(), {"--quiet", "--out", dir + "/out"});
  const WorkerOutcome outcome = run_worker(args, dir);
  if (!outcome.ok) {
    m.capacity.limit = command + " failed: " + outcome.error;
    return std::nullopt;
  }
  return load_json_file(dir + "/out/result.json");
}

MeasuredCapacity llm_capacity(const CandidateSpec& c, const LlmDemandSpec& d, const std::string& dir) {
  std::vector<std::string> args{"serve"};
  args.insert(args.end(), d.serve_args.begin(), d.serve_args.end());
  const std::vector<std::string> device = serve_device_args(c);
  args.insert(args.end(), device.begin(), device.end());
  args.push_back("--find-max-rate");
  MeasuredCapacity m;
  m.note.method = "find_max_rate";
  const std::optional<nlohmann::json> result = worker_result(args, dir, m);
  if (!result) return m;
  const nlohmann::json& search = result->at("find_max_rate").at(c.is_gpu() ? "gpu" : "npu");
  const SloSpec slo = parse_slo_spec(d.slo);
  const bool meets = search.at("ttft_p90_s").get<double>() <= slo.ttft_p90_s &&
                     search.at("tpot_p99_s").get<double>() <= slo.tpot_p99_s;
  if (meets) {
    m.capacity.per_device = search.at("max_rate_per_s").get<double>();
  } else {
    m.capacity.limit = "SLO " + d.slo + " unreachable even alone at the lowest rate";
  }
  return m;
}

MeasuredCapacity serial_stream_capacity(const CandidateSpec& c, const StreamDemandSpec& d, const std::string& dir) {
  std::vector<std::string> args{"run", "--workload", d.model};
  const std::vector<std::string> device = device_args(c);
  args.insert(args.end(), device.begin(), device.end());
  MeasuredCapacity m;
  m.note.method = "serial_latency";
  const std::optional<nlohmann::json> result = worker_result(args, dir, m);
  if (!result) return m;
  const nlohmann::json& workload = result->at("workloads").at(0);
  const double latency_s = c.is_gpu() ? workload.at("comparison").at("gpu").at("time_s").get<double>()
                                      : workload.at("totals").at("time_s").get<double>();
  m.note.frame_latency_s = latency_s;
  // Frames of n streams arrive together and run back to back: the last finishes at n x latency, which
  // must be within the deadline and (for a steady state) within the period.
  const double budget_s = std::min(d.deadline_s, 1.0 / d.rate_hz);
  m.capacity.per_device = std::floor(budget_s / latency_s);
  if (m.capacity.per_device < 1) {
    m.capacity.per_device = 0;
    m.capacity.limit = fmt::format("deadline {:.4g} s below one frame's latency {:.4g} s even alone", budget_s, latency_s);
  }
  return m;
}

// `npusim serve --find-max-streams` on the demand's one-camera traffic file: the most cameras of it that
// one device (NPU, or the GPU side) serves with no missed deadline.
MeasuredCapacity serve_stream_capacity(const CandidateSpec& c, const StreamDemandSpec& d, const std::string& name,
                                       const std::string& dir) {
  const std::string traffic = dir + "/traffic.json";
  std::ofstream(traffic) << d.traffic.dump() << "\n";
  std::vector<std::string> args{"serve", "--traffic", traffic, "--find-max-streams", name};
  args.insert(args.end(), d.serve_args.begin(), d.serve_args.end());
  const std::vector<std::string> device = serve_device_args(c);
  args.insert(args.end(), device.begin(), device.end());
  MeasuredCapacity m;
  m.note.method = "find_max_streams";
  const std::optional<nlohmann::json> result = worker_result(args, dir, m);
  if (!result) return m;
  m.capacity.per_device = result->at("find_max_streams").at(c.is_gpu() ? "gpu" : "npu").at("max_streams").get<double>();
  if (m.capacity.per_device < 1)
    m.capacity.limit = fmt::format("misses deadlines ({:.4g} s) even with one stream alone", d.deadline_s);
  return m;
}

MeasuredCapacity stream_capacity(const CandidateSpec& c, const DemandSpec& d, const std::string& dir) {
  return d.streams.serial_latency ? serial_stream_capacity(c, d.streams, dir)
                                  : serve_stream_capacity(c, d.streams, d.name, dir);
}

}  // namespace

std::vector<std::vector<MeasuredCapacity>> measure_capacities(const FleetSpec& spec, const std::string& scratch_dir,
                                                              std::ostream* log) {
  std::vector<std::vector<MeasuredCapacity>> out;
  for (size_t c = 0; c < spec.candidates.size(); ++c) {
    const CandidateSpec& candidate = spec.candidates[c];
    out.emplace_back();
    for (size_t d = 0; d < spec.demands.size(); ++d) {
      const DemandSpec& demand = spec.demands[d];
      const std::string dir = fmt::format("{}/c{}-d{}", scratch_dir, c, d);
      std::filesystem::create_directories(dir);
      if (log != nullptr) *log << fmt::format("measuring {} on {} ...\n", demand.name, candidate.name) << std::flush;
      MeasuredCapacity m =
          demand.is_llm ? llm_capacity(candidate, demand.llm, dir) : stream_capacity(candidate, demand, dir);
      m.note.chips = candidate.chips;
      m.capacity.per_device *= candidate.chips;  // a system: replicas of its chip
      out.back().push_back(std::move(m));
    }
  }
  return out;
}

}  // namespace npusim
