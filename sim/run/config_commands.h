// `npusim list` (the presets and workloads this build knows) and `npusim validate` (check a config
// without simulating).
#pragma once

#include <string>
#include <vector>

namespace npusim {

// Prints the NPU presets with their main parameters, the zoo workloads and the workload file kinds.
int list_command();

struct ValidateOptions {
  std::string config;                  // preset name, JSON file or SCALE-Sim .cfg
  std::vector<std::string> overrides;  // "npu.sram.banks=8"
  bool print = false;                  // print the resolved config as JSON instead of "ok"
  bool fields = false;                 // print every config field as a Markdown table (no config needed)
};

// Bad input throws InputError; returns the exit code.
int validate_command(const ValidateOptions& options);

}  // namespace npusim
