// `npusim validate-gpu`'s logic: the GPU model on every calibration point (gpu_calibration_set.h), its
// error against the published throughput, and physics checks (power within the cap, throughput within
// the tensor-core roofline).
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "analysis/gpu/gpu_calibration_set.h"
#include "analysis/gpu/gpu_config.h"

namespace npusim {

struct GpuValidationRow {
  GpuCalibrationPoint point;
  double modeled_samples_per_s = 0.0;
  double error = 0.0;  // (modeled - published) / published
  bool bound_holds = true;  // upper_bound points: modeled <= published
  std::string effective_seq;  // the unpadded-length note; empty for padded or CNN workloads
  std::string assumptions;    // gpu_run_assumptions of the run
  double average_power_w = 0.0;
  double power_cap_w = 0.0;
  double roofline_samples_per_s = 0.0;  // tensor peak at the configured clock / FLOPs per sample
};

struct GpuValidation {
  std::vector<GpuValidationRow> rows;
  size_t compared = 0;  // equal points, the ones the error statistics cover
  double mean_abs_error = 0.0;
  double worst_abs_error = 0.0;
  size_t worst_index = 0;  // into rows
  bool bounds_hold = true;
  bool physics_holds = true;  // every row: power <= cap, modeled <= roofline
};

// `load_gpu` returns the preset of that name (with any overrides the caller applies).
GpuValidation validate_gpu_calibration(const std::vector<GpuCalibrationPoint>& points,
                                       const std::function<GpuConfig(const std::string&)>& load_gpu);

std::string format_gpu_validation(const GpuValidation& validation);
nlohmann::json gpu_validation_to_json(const GpuValidation& validation);

}  // namespace npusim
