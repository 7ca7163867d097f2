#include "sim/run/validate_gpu_job.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "analysis/gpu/gpu_validation.h"
#include "arch/spec/input_error.h"
#include "sim/io/config_loader.h"
#include "sim/run/run_job.h"

namespace npusim {
namespace {

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open calibration file");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int validate_gpu_command(const ValidateGpuOptions& options) {
  for (const auto& assignment : options.overrides) {
    if (assignment.rfind("gpu.", 0) != 0)
      throw InputError("<cli>", "--set " + assignment.substr(0, assignment.find('=')), "expected a gpu. path");
  }
  const std::string data = options.data.empty() ? default_calibration_file() : options.data;
  std::vector<GpuCalibrationPoint> points = parse_gpu_calibration_csv(read_text_file(data), data, list_presets("gpu"));
  if (!options.gpu.empty()) {
    points.erase(std::remove_if(points.begin(), points.end(), [&](const auto& p) { return p.gpu != options.gpu; }),
                 points.end());
    if (points.empty())
      throw InputError("<cli>", "--gpu", "no calibration point in " + data + " uses '" + options.gpu + "'");
  }
  const auto load_gpu = [&](const std::string& name) { return resolve_gpu_baseline(name, options.overrides).config; };
  const GpuValidation validation = validate_gpu_calibration(points, load_gpu);
  if (options.json) {
    std::cout << gpu_validation_to_json(validation).dump(2) << "\n";
    return 0;
  }
  std::cout << "GPU baseline vs " << data << "\n" << format_gpu_validation(validation);
  const GpuBaseline a100 = resolve_gpu_baseline("a100-sxm4-80gb", {});
  std::cout << fmt::format("A100 FP16 GEMM sweep (REFERENCE.md 3.2, eager): RMS error {:.1f}%, max {:.1f}%\n",
                           100.0 * a100.calibration.rms_relative, 100.0 * a100.calibration.max_abs_relative);
  return 0;
}

}  // namespace npusim
