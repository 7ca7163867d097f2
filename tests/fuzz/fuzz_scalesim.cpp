// libFuzzer target: SCALE-Sim inputs. The first byte chooses the parser (even: a .cfg, odd: a topology
// CSV); the rest is the file. Any input either parses or raises InputError; a parsed topology stays
// within the workload limits every importer promises.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "arch/spec/input_error.h"
#include "sim/io/scalesim_cfg.h"
#include "workloads/importers/scalesim_topology.h"
#include "workloads/ir/workload_limits.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    if (data[0] % 2 == 0) {
      npusim::parse_scalesim_cfg(text, "fuzz.cfg");
    } else {
      const npusim::Workload workload =
          npusim::parse_scalesim_topology(text, "fuzz.csv", "fuzz", npusim::DType::kInt8);
      npusim::check_workload_limits(workload);
    }
  } catch (const npusim::InputError&) {
  }
  return 0;
}
