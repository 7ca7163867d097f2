#include "sim/run/device_presets.h"

#include "analysis/gpu/gpu_calibration.h"
#include "analysis/gpu/gpu_config.h"
#include "arch/spec/input_error.h"
#include "arch/spec/npu_config_parse.h"
#include "sim/io/config_loader.h"

namespace npusim {
namespace {

// The --set assignments for one config root; an assignment for no known root is an error.
std::vector<std::string> overrides_for(const std::string& root, const std::vector<std::string>& overrides) {
  std::vector<std::string> selected;
  for (const auto& assignment : overrides) {
    if (assignment.rfind(root + ".", 0) == 0) {
      selected.push_back(assignment);
    } else if (assignment.rfind("npu.", 0) != 0 && assignment.rfind("gpu.", 0) != 0 &&
               assignment.rfind("system.", 0) != 0) {
      throw InputError("<cli>", "--set " + assignment.substr(0, assignment.find('=')),
                       "expected a path starting with 'npu.', 'gpu.' or 'system.'");
    }
  }
  return selected;
}

}  // namespace

NpuConfig resolve_npu_config(const std::string& spec, const std::vector<std::string>& overrides,
                             std::string* source) {
  ConfigDocument document = load_config_document(spec, "npu");
  for (const auto& assignment : overrides_for("npu", overrides)) apply_override(document, "npu", assignment);
  if (source != nullptr) *source = document.file;
  return parse_npu_config(document.document, document.file);
}

GpuBaseline resolve_gpu_baseline(const std::string& spec, const std::vector<std::string>& overrides) {
  ConfigDocument document = load_config_document(spec, "gpu");
  for (const auto& assignment : overrides_for("gpu", overrides)) apply_override(document, "gpu", assignment);
  GpuBaseline baseline;
  baseline.source = document.file;
  baseline.config = parse_gpu_config(document.document, document.file);
  const ConfigDocument a100 = load_config_document("a100-sxm4-80gb", "gpu");
  const GpuConfig a100_config = parse_gpu_config(a100.document, a100.file);
  baseline.calibration = a100_gemm_calibration_error(a100_config);
  baseline.calibrated_gpu = a100_config.name;
  return baseline;
}

SystemConfig resolve_system_config(const std::string& spec, const std::vector<std::string>& overrides,
                                   std::string* source) {
  ConfigDocument document = load_config_document(spec, "systems");
  for (const auto& assignment : overrides) {
    if (assignment.rfind("system.", 0) == 0) apply_override(document, "system", assignment);
  }
  if (source != nullptr) *source = document.file;
  return parse_system_config(document.document, document.file);
}

}  // namespace npusim
