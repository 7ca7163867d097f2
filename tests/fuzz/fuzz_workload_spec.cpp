// libFuzzer target: workload strings (`resnet50:batch=8`, `gemm:m=..`, `llama3.1-8b:seq=..`). Any input
// either names a zoo workload that builds within the workload limits, or raises InputError.
#include <cstdint>
#include <string>

#include "arch/spec/input_error.h"
#include "workloads/ir/workload_limits.h"
#include "workloads/workload_spec.h"
#include "workloads/zoo/model_zoo.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const npusim::WorkloadSpec spec = npusim::parse_workload_spec(text);
    if (!npusim::is_zoo_workload(spec.name)) return 0;
    npusim::check_workload_limits(npusim::build_zoo_workload(spec, npusim::DType::kInt8));
  } catch (const npusim::InputError&) {
  }
  return 0;
}
