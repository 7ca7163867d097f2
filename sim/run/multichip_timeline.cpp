// Perfetto trace events of a multi-chip run's recorded chip and link spans, written straight into one
// string (a 70B run records ~10^5 link reservations: a JSON tree of them would take ~1 GB). Every name
// written is made of letters, digits, spaces and "()->,", so nothing needs escaping.
#include "sim/run/multichip_timeline.h"

#include <fmt/format.h>

namespace npusim {
namespace {

constexpr int kPassesPid = 1;
constexpr int kFirstChipPid = 100;
constexpr int kFirstLinkPid = 100000;

double microseconds(uint64_t ps) { return static_cast<double>(ps) * 1e-6; }

class TraceText {
 public:
  // A track (thread) of a track group (process); the group is named with its first track.
  void name_track(int pid, const std::string& process, int tid, const std::string& thread) {
    if (tid == 1) {
      add(fmt::format(R"({{"name":"process_name","ph":"M","pid":{},"args":{{"name":"{}"}}}})", pid, process));
      add(fmt::format(R"({{"name":"process_sort_index","ph":"M","pid":{},"args":{{"sort_index":{}}}}})", pid, pid));
    }
    add(fmt::format(R"({{"name":"thread_name","ph":"M","pid":{},"tid":{},"args":{{"name":"{}"}}}})", pid, tid,
                    thread));
  }
  void span(int pid, int tid, const std::string& name, uint64_t start_ps, uint64_t end_ps, const std::string& args) {
    add(fmt::format(R"({{"name":"{}","ph":"X","pid":{},"tid":{},"ts":{:.6f},"dur":{:.6f},"args":{{{}}}}})", name, pid,
                    tid, microseconds(start_ps), microseconds(end_ps - start_ps), args));
  }
  std::string finish() { return "{\"traceEvents\":[\n" + text_ + "\n],\"displayTimeUnit\":\"ns\"}\n"; }

 private:
  void add(const std::string& event) {
    if (!text_.empty()) text_ += ",\n";
    text_ += event;
  }
  std::string text_;
};

void name_tracks(TraceText& trace, const SystemRun& run, const ParallelPlan& plan) {
  trace.name_track(kPassesPid, "passes", 1, "prefill and sampled decode steps");
  for (uint32_t chip = 0; chip < plan.chips(); ++chip) {
    const std::string process = fmt::format("chip {} (replica {}, stage {}, tp rank {})", chip,
                                            chip / (plan.pp * plan.tp), chip / plan.tp % plan.pp, chip % plan.tp);
    trace.name_track(kFirstChipPid + static_cast<int>(chip), process, 1, "compute");
    trace.name_track(kFirstChipPid + static_cast<int>(chip), process, 2, "collectives");
  }
  const std::vector<DirectedChipLink>& links = run.passes.front().links;
  for (size_t link = 0; link < links.size(); ++link) {
    trace.name_track(kFirstLinkPid + static_cast<int>(link), "link " + links[link].name, 1, "transfers");
  }
}

}  // namespace

std::string multichip_timeline_json(const SystemRun& run, const ParallelPlan& plan,
                                    const std::vector<std::string>& pass_names) {
  TraceText trace;
  if (run.passes.empty()) return trace.finish();
  name_tracks(trace, run, plan);
  uint64_t offset_ps = 0;
  for (size_t k = 0; k < run.passes.size(); ++k) {
    const SystemPassResult& pass = run.passes[k];
    const std::string in_pass = fmt::format(R"("pass":"{}")", pass_names[k]);
    trace.span(kPassesPid, 1, pass_names[k], offset_ps, offset_ps + pass.time_ps, "");
    for (const ChipSpan& s : pass.chip_spans) {
      const bool compute = std::string(s.what) == "compute";
      trace.span(kFirstChipPid + static_cast<int>(s.chip), compute ? 1 : 2, s.what, offset_ps + s.start_ps,
                 offset_ps + s.end_ps, in_pass);
    }
    for (const LinkBusySpan& s : pass.link_spans) {
      trace.span(kFirstLinkPid + static_cast<int>(s.link), 1, "transfer", offset_ps + s.start_ps, offset_ps + s.end_ps,
                 fmt::format(R"("bytes":{},{})", s.bytes, in_pass));
    }
    offset_ps += pass.time_ps;
  }
  return trace.finish();
}

}  // namespace npusim
