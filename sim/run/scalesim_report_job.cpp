#include "sim/run/scalesim_report_job.h"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "arch/spec/input_error.h"
#include "arch/timing/scalesim_memory_replay.h"
#include "sim/run/workload_loader.h"

namespace npusim {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

ScaleSimMemorySetup memory_setup(const NpuConfig& config, const std::string& source) {
  if (config.timing_mode != TimingMode::kScaleSim) {
    throw InputError(source, "timing.mode",
                     "--scalesim-reports needs a SCALE-Sim config (.cfg or timing.mode scalesim)");
  }
  const double bandwidth = config.scalesim.bandwidth_words_per_cycle;
  if (!config.scalesim.calc_bandwidth && (bandwidth != std::floor(bandwidth) || bandwidth > 1e9)) {
    throw InputError(source, "scalesim.bandwidth_words_per_cycle",
                     "expected an integer number of words per cycle (SCALE-Sim USER mode)");
  }
  ScaleSimMemorySetup setup;
  setup.array = ArrayShape{config.array.rows, config.array.cols};
  setup.dataflow = config.array.dataflow;
  setup.ifmap_sram_kb = config.scalesim.ifmap_sram_kb;
  setup.filter_sram_kb = config.scalesim.filter_sram_kb;
  setup.ofmap_sram_kb = config.scalesim.ofmap_sram_kb;
  setup.calc_bandwidth = config.scalesim.calc_bandwidth;
  setup.user_bandwidth_words_per_cycle = static_cast<uint32_t>(bandwidth);
  return setup;
}

// The topology row back from the importer's convolution (no padding but SCALE-Sim's overhang).
ScaleSimLayerShape layer_shape(const Operator& op) {
  const ConvParams& p = std::get<ConvParams>(op.params);
  return ScaleSimLayerShape{p.in_h, p.in_w, p.kernel_h, p.kernel_w, p.in_c, p.out_c, p.stride_h, p.stride_w};
}

}  // namespace

ScaleSimReportFiles scalesim_report_files(const RunOptions& options) {
  if (options.workloads.size() != 1 || !ends_with(options.workloads.front(), ".csv")) {
    throw InputError("<cli>", "--scalesim-reports",
                     "expected exactly one --workload, a SCALE-Sim topology .csv");
  }
  std::string source;
  const NpuConfig config = resolve_npu_config(options.npu, options.overrides, &source);
  const ScaleSimMemorySetup setup = memory_setup(config, source);
  WorkloadRequest request;
  request.spec = options.workloads.front();
  const Workload workload = load_workload(request, resolve_dtype(options, config));
  std::vector<ScaleSimLayerReport> layers;
  for (size_t i = 0; i < workload.ops.size(); ++i) {
    try {
      layers.push_back(scalesim_replay_layer(setup, layer_shape(workload.ops[i])));
    } catch (const std::exception& error) {  // layers SCALE-Sim itself cannot run (it crashes on them)
      throw InputError(workload.source, "layer " + std::to_string(i) + " (" + workload.ops[i].name + ")",
                       error.what());
    }
  }
  return format_scalesim_reports(layers);
}

}  // namespace npusim
