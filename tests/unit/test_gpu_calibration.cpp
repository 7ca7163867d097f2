// The A100 GEMM calibration: the shipped preset must reproduce every measured point within 15%, and
// must agree with analysis/calibrate_gpu.py's reproduction in analysis/calibration/a100_gemm_fit.csv.
// NPUSIM_PRINT_GPU_CALIBRATION=1 prints the C++ model's table (M, measured ms, modeled ms, error %).
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>

#include "analysis/gpu/gpu_model.h"
#include "sim/core/config_loader.h"

using namespace npusim;

namespace {

// LLMCompass artifact matmul_A100.csv (BSD-3, P), as transcribed in REFERENCE.md §3.2:
// A100-SXM4-80GB, FP16 cuBLAS through PyTorch, N = K = 12288, latency in ms for each M.
constexpr uint64_t kN = 12288;
constexpr uint64_t kK = 12288;
const std::map<uint64_t, double> kMeasuredMs{
    {64, 0.1900},   {128, 0.2003},  {256, 0.3185},  {512, 0.6118},    {1024, 1.1990},
    {2048, 2.3586}, {4096, 4.4576}, {8192, 8.6216}, {16384, 17.0307}, {32768, 35.4407}};

// The measurements time PyTorch ops one at a time: the eager overhead applies.
GpuConfig a100_eager() {
  const ConfigDocument document = load_config_document("a100-sxm4-80gb", "gpu");
  GpuConfig config = parse_gpu_config(document.document, document.file);
  config.kernel_overhead.mode = KernelOverheadMode::kEager;
  return config;
}

double modeled_ms(uint64_t m, const GpuConfig& config) {
  Operator op;
  op.name = "gemm";
  op.kind = OpKind::kFullyConnected;
  op.dtype = DType::kFp16;
  MatMulParams p;
  p.m = m;
  p.n = kN;
  p.k = kK;
  p.b_is_weight = true;
  op.params = p;
  return estimate_gpu_op(op, config).time_s * 1e3;
}

}  // namespace

TEST_CASE("gpu calibration: the A100 preset reproduces the measured FP16 GEMM sweep within 15%") {
  const GpuConfig config = a100_eager();
  const bool print = std::getenv("NPUSIM_PRINT_GPU_CALIBRATION") != nullptr;
  if (print) std::printf("M,measured_ms,modeled_ms,error_pct\n");
  for (const auto& [m, measured] : kMeasuredMs) {
    const double modeled = modeled_ms(m, config);
    const double error = (modeled - measured) / measured;
    if (print)
      std::printf("%llu,%.4f,%.4f,%.2f\n", static_cast<unsigned long long>(m), measured, modeled,
                  error * 100);
    CAPTURE(m);
    CAPTURE(modeled);
    CHECK(std::fabs(error) <= 0.15);
  }
}

TEST_CASE("gpu calibration: the C++ model agrees with calibrate_gpu.py's fit table") {
  std::ifstream csv(std::string(NPUSIM_SOURCE_DIR) + "/analysis/calibration/a100_gemm_fit.csv");
  REQUIRE(csv.good());
  const GpuConfig config = a100_eager();
  std::string line;
  std::getline(csv, line);
  CHECK(line.rfind("M,measured_ms,modeled_ms,error_pct", 0) == 0);
  size_t rows = 0;
  while (std::getline(csv, line)) {
    if (line.empty()) continue;
    std::istringstream fields(line);
    std::string m_text, measured_text, modeled_text;
    std::getline(fields, m_text, ',');
    std::getline(fields, measured_text, ',');
    std::getline(fields, modeled_text, ',');
    const uint64_t m = std::stoull(m_text);
    CAPTURE(m);
    REQUIRE(kMeasuredMs.count(m) == 1);
    CHECK(std::stod(measured_text) == doctest::Approx(kMeasuredMs.at(m)));
    // The CSV rounds to 4 decimals (0.00005 ms).
    CHECK(std::fabs(modeled_ms(m, config) - std::stod(modeled_text)) <= 6e-5);
    ++rows;
  }
  CHECK(rows == kMeasuredMs.size());
}
