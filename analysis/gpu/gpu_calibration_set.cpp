#include "analysis/gpu/gpu_calibration_set.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "analysis/gpu/gpu_config.h"
#include "arch/spec/input_error.h"
#include "workloads/traffic/token_distribution.h"

namespace npusim {
namespace {

constexpr const char* kColumns[] = {"system",   "gpu",      "benchmark",    "precision", "scenario", "max_batch",
                                    "seq_dist", "accelerators", "comparison", "samples_per_s", "source"};

// One CSV line (RFC 4180 quoting, no line breaks inside fields).
std::vector<std::string> split_csv_line(const std::string& line, const std::string& file, size_t row) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted && c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
      fields.back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else if (c != '\r') {
      fields.back() += c;
    }
  }
  if (quoted) throw InputError(file, "row " + std::to_string(row), "unterminated quoted field");
  return fields;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

class RowReader {
 public:
  RowReader(const std::string& file, size_t row, const std::map<std::string, size_t>& columns,
            const std::vector<std::string>& fields)
      : file_(file), row_(row), columns_(columns), fields_(fields) {}

  std::string text(const char* column) const {
    const size_t index = columns_.at(column);
    return index < fields_.size() ? fields_[index] : std::string();
  }
  std::string required(const char* column) const {
    const std::string value = text(column);
    if (value.empty()) fail(column, "expected a value");
    return value;
  }
  [[noreturn]] void fail(const char* column, const std::string& message) const {
    throw InputError(file_, "row " + std::to_string(row_) + ", column " + column, message);
  }
  double positive(const char* column) const {
    const std::string value = required(column);
    size_t used = 0;
    double number = 0.0;
    try {
      number = std::stod(value, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != value.size() || !std::isfinite(number) || number <= 0.0)
      fail(column, "expected a positive number, got '" + value + "'");
    return number;
  }

 private:
  const std::string& file_;
  size_t row_;
  const std::map<std::string, size_t>& columns_;
  const std::vector<std::string>& fields_;
};

GpuCalibrationPoint read_point(const RowReader& in, size_t row, const std::vector<std::string>& known_gpus) {
  GpuCalibrationPoint point;
  point.row = row;
  point.system = in.required("system");
  point.gpu = in.required("gpu");
  if (std::find(known_gpus.begin(), known_gpus.end(), point.gpu) == known_gpus.end())
    in.fail("gpu", "'" + point.gpu + "' is not a GPU preset: " + join(known_gpus));
  point.benchmark = in.required("benchmark");
  const auto& benchmarks = gpu_calibration_benchmarks();
  const auto benchmark = std::find_if(benchmarks.begin(), benchmarks.end(),
                                      [&](const auto& b) { return point.benchmark == b.name; });
  if (benchmark == benchmarks.end()) {
    std::vector<std::string> names;
    for (const auto& b : benchmarks) names.emplace_back(b.name);
    in.fail("benchmark", "'" + point.benchmark + "' is not a known benchmark: " + join(names));
  }
  point.precision = in.required("precision");
  if (!is_gpu_dtype(point.precision))
    in.fail("precision", "'" + point.precision + "' is not a data type: " + known_gpu_dtype_names());
  point.scenario = in.required("scenario");
  if (point.scenario != "offline") in.fail("scenario", "expected offline (the only scenario modeled)");
  const double batch = in.positive("max_batch");
  if (batch != std::floor(batch) || batch > 1e6) in.fail("max_batch", "expected a whole number up to 1000000");
  point.max_batch = static_cast<uint32_t>(batch);
  point.seq_dist = in.text("seq_dist");
  if (!point.seq_dist.empty()) {
    if (!benchmark->encoder) in.fail("seq_dist", "only encoder benchmarks take a sequence length distribution");
    try {
      parse_token_distribution(point.seq_dist, "seq_dist");
    } catch (const InputError& error) {
      in.fail("seq_dist", error.message());
    }
  }
  point.accelerators = in.required("accelerators");
  const std::string comparison = in.required("comparison");
  if (comparison != "equal" && comparison != "upper_bound")
    in.fail("comparison", "expected equal or upper_bound, got '" + comparison + "'");
  point.comparison = comparison == "equal" ? CalibrationComparison::kEqual : CalibrationComparison::kUpperBound;
  point.samples_per_s = in.positive("samples_per_s");
  point.source = in.required("source");
  return point;
}

}  // namespace

const std::vector<GpuCalibrationBenchmark>& gpu_calibration_benchmarks() {
  // MLPerf Inference v3.0 closed: ResNet-50 v1.5 at 224, BERT-large on SQuAD v1.1 at max 384 tokens.
  static const std::vector<GpuCalibrationBenchmark> kBenchmarks{{"resnet50", "resnet50", false},
                                                                {"bert-large", "bert-large:seq=384", true}};
  return kBenchmarks;
}

std::vector<GpuCalibrationPoint> parse_gpu_calibration_csv(const std::string& text, const std::string& file,
                                                           const std::vector<std::string>& known_gpus) {
  std::istringstream lines(text);
  std::string line;
  size_t row = 0;
  std::map<std::string, size_t> columns;
  std::vector<GpuCalibrationPoint> points;
  while (std::getline(lines, line)) {
    ++row;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::vector<std::string> fields = split_csv_line(line, file, row);
    if (columns.empty()) {
      for (size_t i = 0; i < fields.size(); ++i) columns.emplace(fields[i], i);
      for (const char* column : kColumns) {
        if (columns.count(column) == 0)
          throw InputError(file, "row " + std::to_string(row) + ", column " + column, "missing from the header");
      }
      continue;
    }
    points.push_back(read_point(RowReader(file, row, columns, fields), row, known_gpus));
  }
  if (columns.empty()) throw InputError(file, "row 1", "expected a header row");
  if (points.empty()) throw InputError(file, "row 2", "expected at least one calibration point");
  return points;
}

}  // namespace npusim
