// `npusim serve`: LLM serving of request traffic on an NPU and on the GPU baseline, iteration by
// iteration, with step costs from the NPU simulation (sim/serve/step_cost_builder.h) and the GPU model.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/serving/scheduler.h"
#include "analysis/serving/serving_metrics.h"
#include "sim/serve/stream_options.h"
#include "workloads/traffic/traffic_generator.h"

namespace npusim {

struct ServeOptions {
  std::string npu = "furiosa-rngd";
  std::string model = "llama3.1-8b";
  std::string dtype;  // empty: the NPU's first supported type
  std::string gpu = "h100-sxm5";
  double gpu_memory_gib = 80.0;  // the GPU's DRAM (GpuConfig has no capacity field)
  std::vector<std::string> overrides;
  std::string traffic_file;  // empty: generated from `traffic`
  TrafficSpec traffic;
  SchedulerConfig scheduler;       // kv_blocks computed per device
  // Swap preemption's host link, per direction: PCIe 5.0 x16 = 32 GT/s x 16 lanes x 128/130 / 8 bits
  // = 63.0 GB/s [S: PCI-SIG PCIe 5.0 base spec; RNGD and H100 SXM5 both attach by PCIe 5.0 x16].
  double host_link_gbytes_per_s = 63.0;
  double workspace_factor = 3.0;   // activation workspace = this x the largest operator output per step
  SloSpec slo;
  bool slo_given = false;
  bool find_max_rate = false;
  bool drop_oversized = false;
  uint32_t validation_steps = 8;
  std::string out_dir;
  std::string timeline_file;
  bool quiet = false;
  StreamServeOptions streams;  // a traffic file with `streams` (sim/serve/stream_run.h)
};

int serve_command(const ServeOptions& options);

}  // namespace npusim
