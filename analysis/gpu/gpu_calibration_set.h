// The network-level calibration set (analysis/calibration/mlperf_v3_0.csv, REFERENCE.md §3.4) as typed
// points: which GPU preset, benchmark, precision and conditions, and the published throughput.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace npusim {

// equal: the model should reproduce the published figure. upper_bound: the published system adds
// accelerators the GPU model lacks (Jetson's two DLAs), so the GPU-only model must stay below it.
enum class CalibrationComparison : uint8_t { kEqual, kUpperBound };

struct GpuCalibrationPoint {
  size_t row = 0;      // line in the file (the header is row 1)
  std::string system;  // as published
  std::string gpu;     // preset name in configs/gpu/
  std::string benchmark;  // a name from gpu_calibration_benchmarks()
  std::string precision;  // int8, fp8, fp16, ...
  std::string scenario;   // offline
  uint32_t max_batch = 1;  // the model's engine batch search runs up to this batch
  std::string seq_dist;    // encoder benchmarks: DIST of real (unpadded) sample lengths; empty: padded
  std::string accelerators;  // what the published system used ("gpu", "gpu+2dla")
  CalibrationComparison comparison = CalibrationComparison::kEqual;
  double samples_per_s = 0.0;  // published
  std::string source;
};

struct GpuCalibrationBenchmark {
  const char* name;
  const char* workload;  // zoo spec, without batch and dtype
  bool encoder;          // accepts seq_dist
};
const std::vector<GpuCalibrationBenchmark>& gpu_calibration_benchmarks();

// Every column is required (any order; extra columns are ignored). Bad input is an InputError naming the
// file, "row N, column NAME" and what was expected. `known_gpus` are the preset names allowed.
std::vector<GpuCalibrationPoint> parse_gpu_calibration_csv(const std::string& text, const std::string& file,
                                                           const std::vector<std::string>& known_gpus);

}  // namespace npusim
