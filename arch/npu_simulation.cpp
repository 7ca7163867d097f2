// simulate_npu: validates the input, prepares the SystemC kernel quietly, elaborates the Npu once
// and runs it to completion.
#include "arch/npu_simulation.h"

#include <cstdlib>
#include <stdexcept>
#include <string>
#include <systemc>

#include "arch/core/scoreboard.h"
#include "arch/npu.h"
#include "arch/sanitizer_fibers.h"
#include "arch/spec/npu_config_parse.h"

// libsystemc.so defines main() and needs sc_main; npusim has its own main, so this weak stub only
// satisfies the linker (a real sc_main elsewhere wins). It is never called.
extern "C" __attribute__((weak)) int sc_main(int, char**) { return 1; }

namespace npusim {
namespace {

void require(bool ok, const std::string& what) {
  if (!ok) throw std::logic_error("simulate_npu: invalid NpuConfig: " + what);
}

// A hand-built config (tests, tools) skips the parser: hold it to the same declared ranges.
void check_config(const NpuConfig& c) {
  const std::string violation = npu_config_range_violation(c);
  require(violation.empty(), violation);
  require(noc_node_count(c.noc, c.cores) >= c.cores, "the NoC has fewer nodes than cores");
}

// Dependencies must be in range; a sync may only wait on earlier commands (it is resolved
// recursively). Other forward dependencies are legal in principle and deadlock-checked at run time.
void check_stream(const CommandStream& p, const std::string& where, bool has_global_sram) {
  for (uint32_t id = 0; id < p.commands.size(); ++id) {
    const Command& c = p.commands[id];
    if (static_cast<uint64_t>(c.dep_begin) + c.dep_count > p.deps.size()) {
      throw std::logic_error(where + std::to_string(id) + " has a dependency list past the end of deps");
    }
    for (uint32_t i = 0; i < c.dep_count; ++i) {
      const uint32_t dep = p.deps[c.dep_begin + i];
      if (dep >= p.commands.size() || dep == id || (c.kind == CommandKind::kSync && dep > id)) {
        throw std::logic_error(where + std::to_string(id) + " has an invalid dependency on command " +
                               std::to_string(dep));
      }
    }
    if (is_dma(c.kind) && c.memory == MemoryKind::kGlobalSram && !has_global_sram) {
      throw std::logic_error(where + std::to_string(id) + " uses the global SRAM, which this NPU lacks");
    }
  }
}

void check_layer(const NpuConfig& config, const LayerProgram& p, size_t l) {
  const std::string layer = "simulate_npu: layer " + std::to_string(l) + " '" + p.name + "': ";
  if (p.streams() > config.cores) {
    throw std::logic_error(layer + "split over " + std::to_string(p.streams()) + " cores, the NPU has " +
                           std::to_string(config.cores));
  }
  for (uint32_t core = 0; core < p.streams(); ++core) {
    const std::string where = layer + (core > 0 ? "core " + std::to_string(core) + " " : "") + "command ";
    check_stream(p.stream(core), where, config.global_sram.capacity_bytes > 0);
  }
}

// Nothing on stdout: no banner, no info or warning reports; errors become exceptions.
void prepare_kernel() {
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  using sc_core::sc_report_handler;
  sc_report_handler::set_actions(sc_core::SC_INFO, sc_core::SC_DO_NOTHING);
  sc_report_handler::set_actions(sc_core::SC_WARNING, sc_core::SC_DO_NOTHING);
  sc_report_handler::set_actions(sc_core::SC_ERROR, sc_core::SC_THROW);
  sc_report_handler::set_actions(sc_core::SC_FATAL, sc_core::SC_THROW);
  try {
    sc_core::sc_set_time_resolution(1, sc_core::SC_FS);
  } catch (const sc_core::sc_report&) {
    // Already fixed by someone else: ClockDomain adapts its period to whatever resolution is in use.
  }
}

// Elaborates the Npu once, binds the layers (through `feed` when not null) and runs to completion.
NpuRunStats run_npu(const NpuConfig& config, const std::vector<LayerProgram>& layers, const LayerFeed* feed,
                    SpanRecorder* recorder, const SimulationProgress& progress) {
  static bool elaborated = false;
  if (elaborated) {
    throw std::logic_error("simulate_npu: SystemC elaborates once per process and it already ran here");
  }
  elaborated = true;
  check_config(config);
  prepare_kernel();
  // Deliberately leaked: SystemC keeps references to modules and processes until process exit.
  auto* npu = new Npu("npu", config, recorder);
  npu->load(layers, feed);
  if (!progress) {
    sc_core::sc_start();
    resume_main_stack_after_kernel();
    return npu->results();
  }
  // Slices of 2^20 cycles: thousands of kernel returns per simulated second at most, each cheap.
  const sc_core::sc_time slice = npu->clock().delay(Cycles{1} << 20);
  do {
    sc_core::sc_start(slice);
    resume_main_stack_after_kernel();
    progress(npu->layers_finished(), layers.size());
  } while (sc_core::sc_pending_activity());
  return npu->results();
}

}  // namespace

NpuRunStats simulate_npu(const NpuConfig& config, const std::vector<LayerProgram>& layers,
                         SpanRecorder* recorder, const SimulationProgress& progress) {
  for (size_t l = 0; l < layers.size(); ++l) check_layer(config, layers[l], l);
  return run_npu(config, layers, nullptr, recorder, progress);
}

NpuRunStats simulate_npu_fed(const NpuConfig& config, const std::vector<LayerProgram>& layers,
                             const LayerFeed& feed, SpanRecorder* recorder, const SimulationProgress& progress) {
  const LayerFeed checked{[&](size_t layer) {
                            feed.prepare(layer);
                            check_layer(config, layers[layer], layer);
                          },
                          feed.finished};
  return run_npu(config, layers, &checked, recorder, progress);
}

}  // namespace npusim
