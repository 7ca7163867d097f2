// `npusim list`: the presets and workloads this build knows.
#include <fmt/format.h>

#include <iostream>

#include "sim/cli/commands.h"
#include "sim/cli/option_parsing.h"
#include "sim/io/config_loader.h"
#include "arch/spec/npu_config_parse.h"
#include "workloads/zoo/model_zoo.h"

namespace npusim {
namespace po = boost::program_options;

int cmd_list(const Args& args) {
  po::options_description described("Options");
  po::variables_map values;
  if (!parse_options(args, described, {}, values,
                     "usage: npusim list\n\nLists NPU presets and zoo workloads.")) {
    return 0;
  }
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

}  // namespace npusim
