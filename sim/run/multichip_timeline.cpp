// Perfetto trace events of a multi-chip run's recorded chip and link spans.
#include "sim/run/multichip_timeline.h"

#include <nlohmann/json.hpp>

namespace npusim {
namespace {

constexpr int kPassesPid = 1;
constexpr int kFirstChipPid = 100;
constexpr int kFirstLinkPid = 100000;

double microseconds(uint64_t ps) { return static_cast<double>(ps) * 1e-6; }

// A track (thread) of a track group (process); the group is named with its first track.
void name_track(nlohmann::json& events, int pid, const std::string& process, int tid, const std::string& thread) {
  if (tid == 1) {
    events.push_back({{"name", "process_name"}, {"ph", "M"}, {"pid", pid}, {"args", {{"name", process}}}});
    events.push_back({{"name", "process_sort_index"}, {"ph", "M"}, {"pid", pid}, {"args", {{"sort_index", pid}}}});
  }
  events.push_back({{"name", "thread_name"}, {"ph", "M"}, {"pid", pid}, {"tid", tid}, {"args", {{"name", thread}}}});
}

void span(nlohmann::json& events, int pid, int tid, const std::string& name, uint64_t start_ps, uint64_t end_ps,
          nlohmann::json args) {
  events.push_back({{"name", name},
                    {"ph", "X"},
                    {"pid", pid},
                    {"tid", tid},
                    {"ts", microseconds(start_ps)},
                    {"dur", microseconds(end_ps - start_ps)},
                    {"args", std::move(args)}});
}

void name_tracks(nlohmann::json& events, const SystemRun& run, const ParallelPlan& plan) {
  name_track(events, kPassesPid, "passes", 1, "prefill and sampled decode steps");
  for (uint32_t chip = 0; chip < plan.chips(); ++chip) {
    const std::string process = "chip " + std::to_string(chip) + " (replica " + std::to_string(chip / (plan.pp * plan.tp)) +
                                ", stage " + std::to_string(chip / plan.tp % plan.pp) + ", tp rank " +
                                std::to_string(chip % plan.tp) + ")";
    name_track(events, kFirstChipPid + static_cast<int>(chip), process, 1, "compute");
    name_track(events, kFirstChipPid + static_cast<int>(chip), process, 2, "collectives");
  }
  const std::vector<DirectedChipLink>& links = run.passes.front().links;
  for (size_t link = 0; link < links.size(); ++link) {
    name_track(events, kFirstLinkPid + static_cast<int>(link), "link " + links[link].name, 1, "transfers");
  }
}

}  // namespace

std::string multichip_timeline_json(const SystemRun& run, const ParallelPlan& plan,
                                    const std::vector<std::string>& pass_names) {
  nlohmann::json events = nlohmann::json::array();
  if (run.passes.empty()) return nlohmann::json{{"traceEvents", events}}.dump() + "\n";
  name_tracks(events, run, plan);
  uint64_t offset_ps = 0;
  for (size_t k = 0; k < run.passes.size(); ++k) {
    const SystemPassResult& pass = run.passes[k];
    span(events, kPassesPid, 1, pass_names[k], offset_ps, offset_ps + pass.time_ps, nlohmann::json::object());
    for (const ChipSpan& s : pass.chip_spans) {
      const bool compute = std::string(s.what) == "compute";
      span(events, kFirstChipPid + static_cast<int>(s.chip), compute ? 1 : 2, s.what, offset_ps + s.start_ps,
           offset_ps + s.end_ps, {{"pass", pass_names[k]}});
    }
    for (const LinkBusySpan& s : pass.link_spans) {
      span(events, kFirstLinkPid + static_cast<int>(s.link), 1, "transfer", offset_ps + s.start_ps,
           offset_ps + s.end_ps, {{"bytes", s.bytes}, {"pass", pass_names[k]}});
    }
    offset_ps += pass.time_ps;
  }
  return nlohmann::json{{"traceEvents", events}, {"displayTimeUnit", "ns"}}.dump() + "\n";
}

}  // namespace npusim
