#include "sim/serve/serve_report.h"

#include <fmt/format.h>

#include "sim/io/csv_cell.h"

namespace npusim {

std::string requests_csv(const std::vector<ServeRequest>& requests, const std::vector<DeviceServing>& devices) {
  std::string out =
      "device,id,arrival_s,input_tokens,output_tokens,admitted_s,queueing_s,first_token_s,ttft_s,tpot_s,finish_s,"
      "e2e_s,preemptions\n";
  for (const DeviceServing& d : devices) {
    for (size_t i = 0; i < requests.size(); ++i) {
      const ServeRequest& q = requests[i];
      const RequestRecord& r = d.run.requests[i];
      const double tpot = q.output_tokens < 2 ? 0.0 : (r.finish_s - r.first_token_s) / static_cast<double>(q.output_tokens - 1);
      out += fmt::format("{},{},{:.9g},{},{},{:.9g},{:.9g},{:.9g},{:.9g},{:.9g},{:.9g},{:.9g},{}\n", d.device,
                         csv_cell_text(q.id), q.arrival_s, q.input_tokens, q.output_tokens, r.admitted_s,
                         r.admitted_s - r.arrival_s, r.first_token_s, r.ttft_s(), tpot, r.finish_s, r.e2e_s(),
                         r.preemptions);
    }
  }
  return out;
}

std::string serving_timeline_json(const std::vector<ServeRequest>& requests, const std::vector<DeviceServing>& devices) {
  nlohmann::json events = nlohmann::json::array();
  int pid = 1;
  for (const DeviceServing& d : devices) {
    events.push_back({{"ph", "M"}, {"name", "process_name"}, {"pid", pid}, {"args", {{"name", d.device + " " + d.name}}}});
    events.push_back({{"ph", "M"}, {"name", "thread_name"}, {"pid", pid}, {"tid", 1}, {"args", {{"name", "iterations"}}}});
    for (const IterationRecord& it : d.run.iterations) {
      events.push_back({{"ph", "X"}, {"pid", pid}, {"tid", 1}, {"name", it.prefill_seqs > 0 ? "prefill+decode" : "decode"},
                        {"ts", it.start_s * 1e6}, {"dur", it.time_s * 1e6},
                        {"args", {{"prefill_tokens", it.prefill_tokens}, {"prefill_seqs", it.prefill_seqs},
                                  {"decode_seqs", it.decode_seqs}, {"past_tokens", it.past_tokens}, {"kv_blocks_used", it.kv_blocks_used},
                                  {"energy_j", it.energy_j}}}});
    }
    for (size_t i = 0; i < requests.size(); ++i) {
      const RequestRecord& r = d.run.requests[i];
      const nlohmann::json common = {{"pid", pid}, {"tid", 2}, {"cat", "request"}, {"name", requests[i].id},
                                     {"id", fmt::format("{}:{}", pid, i)}};
      nlohmann::json begin = common, first = common, end = common;
      begin["ph"] = "b";
      begin["ts"] = r.arrival_s * 1e6;
      begin["args"] = {{"input_tokens", requests[i].input_tokens}, {"output_tokens", requests[i].output_tokens}};
      first["ph"] = "n";
      first["ts"] = r.first_token_s * 1e6;
      first["name"] = "first token";
      end["ph"] = "e";
      end["ts"] = r.finish_s * 1e6;
      events.push_back(begin);
      events.push_back(first);
      events.push_back(end);
    }
    ++pid;
  }
  return nlohmann::json{{"traceEvents", events}, {"displayTimeUnit", "ms"}}.dump() + "\n";
}

namespace {

std::string device_line(const std::string& label, const nlohmann::ordered_json& m) {
  return fmt::format(
      "{:<4} {:>8.3f} req/s  {:>10.1f} out tok/s  goodput {:>8.3f} req/s ({:.1f}% in SLO)  TTFT p50/p90/p99 "
      "{:.4f}/{:.4f}/{:.4f} s  TPOT p50/p99 {:.5f}/{:.5f} s  {:.1f} W  {:.2f} tok/J  preemptions {}  KV peak {:.1f}%\n",
      label, m["requests_per_s"].get<double>(), m["output_tokens_per_s"].get<double>(),
      m["goodput_requests_per_s"].get<double>(), 100.0 * m["slo_attainment"].get<double>(), m["ttft_s"]["p50"].get<double>(),
      m["ttft_s"]["p90"].get<double>(), m["ttft_s"]["p99"].get<double>(), m["tpot_s"]["p50"].get<double>(),
      m["tpot_s"]["p99"].get<double>(), m["average_power_w"].get<double>(), m["output_tokens_per_j"].get<double>(),
      m["preemptions"].get<uint64_t>(), 100.0 * m["kv_cache_peak_fraction"].get<double>());
}

}  // namespace

std::string serving_summary_lines(const nlohmann::ordered_json& result) {
  std::string out = fmt::format("serve: {} requests of {} ({}), scheduler {}\n", result["traffic"]["requests"].get<uint64_t>(),
                                result["model"].get<std::string>(), result["dtype"].get<std::string>(),
                                result["scheduler"]["policy"].get<std::string>());
  for (const auto& [key, label] : {std::pair{"serving", "NPU"}, std::pair{"gpu_serving", "GPU"}}) {
    if (!result.contains(key)) continue;
    const auto& m = result[key];
    out += device_line(label, m);
    const auto& kv = m["kv_cache"];
    const auto& v = m["step_cost"]["validation"];
    const char* error_of = std::string(key) == "serving" ? "step-cost interpolation error vs direct simulation"
                                                         : "error of costing decodes at their mean KV length";
    out += fmt::format("     KV cache {:.2f} GiB = {} blocks x {} tokens; {}: max {:.2f}% time, {:.2f}% energy over "
                       "{} random steps\n",
                       static_cast<double>(kv["kv_cache_bytes"].get<uint64_t>()) / (1ull << 30), kv["blocks"].get<uint64_t>(),
                       kv["block_tokens"].get<uint64_t>(), error_of, 100.0 * v["max_time_error"].get<double>(),
                       100.0 * v["max_energy_error"].get<double>(), v["steps"].get<uint32_t>());
  }
  if (result.contains("find_max_rate")) {
    for (const auto& [device, r] : result["find_max_rate"].items()) {
      out += fmt::format("max rate meeting the SLO on {}: {:.4f} req/s\n", device, r["max_rate_per_s"].get<double>());
    }
  }
  return out;
}

}  // namespace npusim
