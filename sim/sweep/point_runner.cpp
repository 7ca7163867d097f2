#include "sim/sweep/point_runner.h"

#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <ostream>

#include "arch/spec/input_error.h"
#include "sim/io/child_process.h"
#include "sim/io/text_file.h"
#include "sim/sweep/serve_point.h"

namespace npusim {
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

struct Running {
  const SweepPoint* point = nullptr;
  std::string out_dir;
  Clock::time_point start;
};

void flatten(const nlohmann::ordered_json& object, const std::string& prefix, nlohmann::ordered_json& out) {
  for (const auto& item : object.items()) {
    const std::string name = prefix.empty() ? item.key() : prefix + "." + item.key();
    if (item.value().is_object()) {
      flatten(item.value(), name, out);
    } else if (item.value().is_number() || item.value().is_boolean()) {
      out[name] = item.value();
    }
  }
}

std::string format_duration(double seconds) {
  const auto total = static_cast<long>(seconds + 0.5);
  if (total >= 3600) return fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
  return fmt::format("{}:{:02}", total / 60, total % 60);
}

class Progress {
 public:
  Progress(const RunnerOptions& options, size_t total)
      : options_(options), total_(total), start_(Clock::now()) {}

  void point_done(const SweepPoint& point, const std::string& status, const std::string& detail,
                  double wall_s, const RunSummary& summary) {
    if (options_.log == nullptr) return;
    const size_t done = summary.ok + summary.failed + summary.interrupted;
    std::ostream& out = *options_.log;
    if (!options_.progress_bar) {
      out << fmt::format("[{}/{}] {:<5} {} {} ({:.2f} s){}\n", done, total_, status, point.id,
                         axes_text(point.axes), wall_s, detail.empty() ? "" : ": " + detail)
          << std::flush;
      return;
    }
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    // Redraw at most 10 times a second (a fast sweep would spend its time on the terminal), always at the
    // end.
    if (status == "ok" && done < total_ && elapsed - last_draw_s_ < 0.1) return;
    last_draw_s_ = elapsed;
    const double eta =
        done == 0 ? 0.0 : elapsed / static_cast<double>(done) * static_cast<double>(total_ - done);
    constexpr size_t kWidth = 30;
    const size_t filled = total_ == 0 ? kWidth : kWidth * done / total_;
    if (status != "ok")
      out << "\r\033[K" << status << " " << point.id << " " << axes_text(point.axes) << ": " << detail
          << "\n";
    out << fmt::format("\r\033[K[{}{}] {}/{} points, {} failed, {} elapsed, ETA {}", std::string(filled, '#'),
                       std::string(kWidth - filled, '.'), done, total_, summary.failed + summary.interrupted,
                       format_duration(elapsed), format_duration(eta))
        << std::flush;
  }

  void finish() {
    if (options_.log != nullptr && options_.progress_bar) *options_.log << "\n" << std::flush;
  }

 private:
  const RunnerOptions& options_;
  size_t total_;
  Clock::time_point start_;
  double last_draw_s_ = -1.0;
};

pid_t spawn_worker(const std::vector<std::string>& argv, const std::string& log_path) {
  const int log_fd = open_child_output(log_path);
  if (log_fd < 0)
    throw InputError(log_path, "", std::string("cannot create worker log: ") + std::strerror(errno));
  // A worker dies with its runner (kill -9 included), so a resume never races an orphan.
  const pid_t pid = start_child(argv, {log_fd, log_fd, false, true});
  if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  return pid;
}

}  // namespace

bool run_supports_gpu() {
  const std::string command = "'" + self_executable() + "' run --help 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return false;
  std::string help;
  char buffer[4096];
  size_t count = 0;
  while ((count = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) help.append(buffer, count);
  ::pclose(pipe);
  return help.find("\n  --gpu ") != std::string::npos;  // an entry of the options list
}

std::vector<std::string> worker_arguments(const PointRequest& request, const std::string& out_dir) {
  const bool serve = is_serve_workload(request.workload);
  std::vector<std::string> args{serve ? "serve" : "run", "--npu", request.npu};
  for (const auto& assignment : request.overrides) args.insert(args.end(), {"--set", assignment});
  if (serve) {
    for (auto& arg : serve_point_arguments(request.workload)) args.push_back(std::move(arg));
  } else {
    args.insert(args.end(), {"--workload", request.workload});
  }
  if (request.batch != 0 && !serve) args.insert(args.end(), {"--batch", std::to_string(request.batch)});
  if (!request.dtype.empty()) args.insert(args.end(), {"--dtype", request.dtype});
  if (!request.gpu.empty()) args.insert(args.end(), {"--gpu", request.gpu});
  args.insert(args.end(), {"--quiet", "--out", out_dir});
  return args;
}

nlohmann::ordered_json result_line(const SweepPoint& point, const std::string& status,
                                   const std::string& error, const nlohmann::ordered_json& metrics) {
  nlohmann::ordered_json line;
  line["id"] = point.id;
  line["index"] = point.index;
  line["axes"] = point.axes;
  line["status"] = status;
  if (status == "ok") {
    line["metrics"] = metrics;
  } else {
    line["error"] = error;
  }
  return line;
}

nlohmann::ordered_json metrics_from_result(const nlohmann::ordered_json& result) {
  nlohmann::ordered_json metrics = nlohmann::ordered_json::object();
  const auto totals = result.find("totals");
  if (totals != result.end() && totals->is_object()) flatten(*totals, "", metrics);
  // A serve point's result: each device's serving metrics and the capacity search, by section.
  for (const char* section : {"serving", "gpu_serving", "find_max_rate"}) {
    const auto found = result.find(section);
    if (found != result.end() && found->is_object()) flatten(*found, section, metrics);
  }
  // A serve point on a multi-chip system: its communication time and link energy per device.
  const auto system = result.find("system");
  if (system != result.end() && system->is_object() && system->contains("communication")) {
    flatten((*system)["communication"], "system.communication", metrics);
  }
  // A point runs one workload; its NPU-vs-GPU comparison (when the run made one) is worth sweeping too.
  const auto workloads = result.find("workloads");
  if (workloads != result.end() && workloads->is_array() && workloads->size() == 1) {
    const auto comparison = workloads->front().find("comparison");
    if (comparison != workloads->front().end() && comparison->is_object())
      flatten(*comparison, "comparison", metrics);
  }
  return metrics;
}

namespace {

// Starts `point`'s worker writing into its own scratch folder; returns its pid and job.
std::pair<pid_t, Running> start_worker(const SweepPoint* point, const std::string& scratch_dir,
                                       const std::string& self) {
  Running job{point, (fs::path(scratch_dir) / fmt::format("{}.{}", point->id, ::getpid())).string(),
              Clock::now()};
  std::error_code error;
  fs::remove_all(job.out_dir, error);
  fs::create_directories(job.out_dir, error);
  if (error) throw InputError(job.out_dir, "", "cannot create a worker folder: " + error.message());
  std::vector<std::string> argv{self};
  for (auto& arg : worker_arguments(point->request, job.out_dir)) argv.push_back(std::move(arg));
  const pid_t pid = spawn_worker(argv, job.out_dir + "/worker.log");
  return {pid, std::move(job)};
}

// A worker that exited with `code`: empty and its metrics filled when it left a readable
// result.json, else the error to record.
std::string worker_error(const Running& job, int code, nlohmann::ordered_json& metrics) {
  if (code == 0) {
    const auto result =
        nlohmann::ordered_json::parse(read_text_file(job.out_dir + "/result.json").value_or(""), nullptr, false);
    if (result.is_discarded() || !result.is_object()) return "the worker exited 0 without a readable result.json";
    metrics = metrics_from_result(result);
    return "";
  }
  std::string message = last_line(read_text_file(job.out_dir + "/worker.log").value_or(""));
  if (message.empty() || code == 127) message = fmt::format("the worker exited with code {}", code);
  return message;
}

// Records a finished worker (a killed one is not recorded: a resume retries it) and removes its folder,
// or moves it to keep_dir/ID (worker.log only when the point failed).
void record_finished(const Running& job, int status, const RunnerOptions& options, ResultAppender& appender,
                     Progress& progress, RunSummary& summary) {
  const double wall = std::chrono::duration<double>(Clock::now() - job.start).count();
  const SweepPoint& point = *job.point;
  std::error_code error;
  if (WIFSIGNALED(status)) {
    ++summary.interrupted;
    progress.point_done(
        point, "KILLED",
        fmt::format("worker killed by signal {}; not recorded, a re-run retries it", WTERMSIG(status)), wall,
        summary);
    fs::remove_all(job.out_dir, error);
    return;
  }
  nlohmann::ordered_json metrics;
  const std::string message = worker_error(job, WIFEXITED(status) ? WEXITSTATUS(status) : -1, metrics);
  const bool ok = message.empty();
  appender.append(result_line(point, ok ? "ok" : "error", message, metrics));
  ok ? ++summary.ok : ++summary.failed;
  progress.point_done(point, ok ? "ok" : "error", message, wall, summary);
  if (!options.keep_dir.empty()) {
    const fs::path kept = fs::path(options.keep_dir) / point.id;
    fs::remove_all(kept, error);
    fs::create_directories(options.keep_dir, error);
    if (ok) fs::remove(job.out_dir + "/worker.log", error);
    fs::rename(job.out_dir, kept, error);
  }
  fs::remove_all(job.out_dir, error);
}

}  // namespace

RunSummary run_points(const std::vector<const SweepPoint*>& points, ResultAppender& appender,
                      const RunnerOptions& options) {
  RunSummary summary;
  const auto start = Clock::now();
  const std::string self = self_executable();
  Progress progress(options, points.size());
  std::map<pid_t, Running> running;
  size_t next = 0;
  const int jobs = options.jobs < 1 ? 1 : options.jobs;
  while (next < points.size() || !running.empty()) {
    while (static_cast<int>(running.size()) < jobs && next < points.size()) {
      running.insert(start_worker(points[next++], options.scratch_dir, self));
    }
    int status = 0;
    const pid_t pid = ::waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("waitpid failed: ") + std::strerror(errno));
    }
    const auto found = running.find(pid);
    if (found == running.end()) continue;
    const Running job = found->second;
    running.erase(found);
    record_finished(job, status, options, appender, progress, summary);
  }
  progress.finish();
  summary.wall_s = std::chrono::duration<double>(Clock::now() - start).count();
  return summary;
}

}  // namespace npusim
