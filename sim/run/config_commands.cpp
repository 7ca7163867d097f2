#include "sim/run/config_commands.h"

#include <fmt/format.h>

#include <iostream>

#include "analysis/power/area_model.h"
#include "arch/spec/input_error.h"
#include "arch/spec/npu_config_parse.h"
#include "sim/io/config_loader.h"
#include "sim/run/run_job.h"
#include "workloads/zoo/model_zoo.h"

namespace npusim {

int list_command() {
  std::cout << "NPU presets (" << configs_dir() << "/npu):\n";
  for (const auto& name : list_presets("npu")) {
    const ConfigDocument document = load_config_document(name, "npu");
    const NpuConfig config = parse_npu_config(document.document, document.file);
    std::cout << fmt::format("  {:<20} {}x{} {} @ {} MHz, {} KiB SRAM, {} {} GB/s\n", name, config.array.rows,
                             config.array.cols, dataflow_name(config.array.dataflow), config.clock_mhz,
                             config.sram.capacity_bytes / 1024, config.dram.kind,
                             config.dram.bandwidth_gbytes_per_s);
  }
  std::cout << "\nWorkloads (zoo; add parameters as name:key=value,...):\n";
  for (const auto& entry : zoo_entries()) {
    std::cout << fmt::format("  {:<20} {}\n", entry.name, entry.description);
  }
  std::cout << "\nWorkload files: SCALE-Sim topology .csv (conv or M,N,K form), npusim op trace .json, ONNX .onnx\n";
  return 0;
}

int validate_command(const ValidateOptions& options) {
  if (options.fields) {
    std::cout << npu_config_fields_markdown();
    return 0;
  }
  std::string source;
  const NpuConfig config = resolve_npu_config(options.config, options.overrides, &source);
  PowerModel power;
  try {
    power = resolve_power_model(config);
  } catch (const InputError& error) {
    throw InputError(source, error.where(), error.message());
  }
  if (options.print) {
    // The resolved config under "npu" (a valid config document) and what the models derive from it.
    const nlohmann::ordered_json printed = {{"npu", npu_config_to_json(config)},
                                            {"modeled", power_model_to_json(power, config)}};
    std::cout << printed.dump(2) << "\n";
  } else {
    std::cout << source << ": ok (" << config.name << ")\n";
  }
  return 0;
}

}  // namespace npusim
