// The network-level calibration set (analysis/calibration/mlperf_v3_0.csv, REFERENCE.md §3.4): the model's
// error on it, physics checks, and bad calibration files.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "analysis/gpu/gpu_validation.h"
#include "arch/spec/input_error.h"
#include "sim/io/config_loader.h"
#include "tests/support/input_error_of.h"

using namespace npusim;
using namespace npusim_test;

namespace {

GpuConfig load_gpu_preset(const std::string& name) {
  const ConfigDocument document = load_config_document(name, "gpu");
  return parse_gpu_config(document.document, document.file);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

const char* kHeader =
    "system,gpu,benchmark,precision,scenario,max_batch,seq_dist,accelerators,comparison,samples_per_s,source\n";

std::string csv_error(const std::string& text) {
  return input_error_of([&] { parse_gpu_calibration_csv(text, "cal.csv", list_presets("gpu")); });
}

}  // namespace

TEST_CASE("gpu validation: the model meets the MLPerf v3.0 set within 10% mean and 20% worst") {
  const std::string file = std::string(NPUSIM_SOURCE_DIR) + "/analysis/calibration/mlperf_v3_0.csv";
  const auto points = parse_gpu_calibration_csv(read_text(file), file, list_presets("gpu"));
  REQUIRE(points.size() == 5);
  const GpuValidation validation = validate_gpu_calibration(points, load_gpu_preset);
  if (std::getenv("NPUSIM_PRINT_GPU_CALIBRATION") != nullptr) std::printf("%s", format_gpu_validation(validation).c_str());
  CHECK(validation.compared == 4);  // Orin's figure includes two DLAs: an upper bound, not compared
  CHECK(validation.mean_abs_error <= 0.10);
  CHECK(validation.worst_abs_error <= 0.20);
  CHECK(validation.bounds_hold);
  // Physics: no run draws more than its cap, none beats its tensor-core roofline.
  CHECK(validation.physics_holds);
  for (const auto& row : validation.rows) {
    CAPTURE(row.point.row);
    CHECK(row.average_power_w <= row.power_cap_w * (1.0 + 1e-9));
    CHECK(row.modeled_samples_per_s < row.roofline_samples_per_s);
    CHECK(row.modeled_samples_per_s > 0.0);
  }
  // The summary agrees with the rows: mean of |error| over the compared rows.
  double sum = 0.0;
  for (const auto& row : validation.rows) {
    if (row.point.comparison == CalibrationComparison::kEqual) sum += std::fabs(row.error);
  }
  CHECK(validation.mean_abs_error == doctest::Approx(sum / 4.0));
  // BERT runs unpadded at the stated distribution's mean, and says so.
  CHECK(validation.rows[4].effective_seq.find("lognormal:mean=170,sigma=0.4") != std::string::npos);
}

TEST_CASE("gpu validation: a calibration file reads columns by name, quoted fields included") {
  const auto points = parse_gpu_calibration_csv(
      std::string("notes,") + kHeader +
          "x,\"Sys, one\",l4,resnet50,int8,offline,64,,gpu,equal,1000.5,\"MLPerf, v3.0\"\n",
      "cal.csv", list_presets("gpu"));
  REQUIRE(points.size() == 1);
  CHECK(points[0].system == "Sys, one");
  CHECK(points[0].gpu == "l4");
  CHECK(points[0].max_batch == 64);
  CHECK(points[0].samples_per_s == 1000.5);
  CHECK(points[0].source == "MLPerf, v3.0");
  CHECK(points[0].row == 2);
}

TEST_CASE("gpu validation: bad calibration files name the file, row and column") {
  const std::string good = "s,l4,resnet50,int8,offline,64,,gpu,equal,1000,src\n";
  CHECK(csv_error("system,gpu\ns,l4\n") == "cal.csv: row 1, column benchmark: missing from the header");
  CHECK(csv_error(std::string(kHeader) + "s,v100,resnet50,int8,offline,64,,gpu,equal,1000,src\n")
            .rfind("cal.csv: row 2, column gpu: 'v100' is not a GPU preset: a100-sxm4-80gb", 0) == 0);
  CHECK(csv_error(std::string(kHeader) + good + "s,l4,gpt3,int8,offline,64,,gpu,equal,1000,src\n") ==
        "cal.csv: row 3, column benchmark: 'gpt3' is not a known benchmark: resnet50, bert-large");
  CHECK(csv_error(std::string(kHeader) + "s,l4,resnet50,int8,offline,64,,gpu,equal,0,src\n") ==
        "cal.csv: row 2, column samples_per_s: expected a positive number, got '0'");
  CHECK(csv_error(std::string(kHeader) + "s,l4,resnet50,int8,offline,64,,gpu,equal,-5,src\n") ==
        "cal.csv: row 2, column samples_per_s: expected a positive number, got '-5'");
  CHECK(csv_error(std::string(kHeader) + "s,l4,resnet50,int8,offline,64,,gpu,equal,,src\n") ==
        "cal.csv: row 2, column samples_per_s: expected a value");
  CHECK(csv_error(std::string(kHeader) + "s,l4,resnet50,int8,server,64,,gpu,equal,1,src\n") ==
        "cal.csv: row 2, column scenario: expected offline (the only scenario modeled)");
  CHECK(csv_error(std::string(kHeader) + "s,l4,resnet50,int8,offline,64,fixed:9,gpu,equal,1,src\n") ==
        "cal.csv: row 2, column seq_dist: only encoder benchmarks take a sequence length distribution");
  CHECK(csv_error(std::string(kHeader) + "s,l4,bert-large,int8,offline,64,fixed:x,gpu,equal,1,src\n")
            .rfind("cal.csv: row 2, column seq_dist: fixed:N: expected a number, got 'x'", 0) == 0);
  CHECK(csv_error(std::string(kHeader) + "s,l4,resnet50,int8,offline,64,,gpu,close,1,src\n") ==
        "cal.csv: row 2, column comparison: expected equal or upper_bound, got 'close'");
  CHECK(csv_error(kHeader) == "cal.csv: row 2: expected at least one calibration point");
}
