// libFuzzer target: the regression goldens `npusim regress --golden DIR` reads. The first byte picks a
// point of the repository's suite (tests/regression/suite.json); the rest is that point's golden file in
// an otherwise empty golden folder. Both readers run: the check before a comparison (check_golden_dir:
// InputError for anything that is not this point's golden) and the lenient read of --update and the
// comparison itself, against the point's committed metrics, with the table of changes. Any input either
// passes or raises InputError.
#include <stdlib.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "arch/spec/input_error.h"
#include "arch/spec/json_text.h"
#include "sim/io/text_file.h"
#include "sim/regress/regress_suite.h"

namespace {

struct Fixture {
  npusim::RegressionSuite suite;
  std::string golden_dir;
};

// The suite, and a private golden folder, once per process.
const Fixture& fixture() {
  static const Fixture loaded = [] {
    Fixture f;
    f.suite = npusim::load_regression_suite(std::string(NPUSIM_SOURCE_DIR) + "/tests/regression/suite.json");
    char dir[] = "/tmp/npusim-fuzz-golden-XXXXXX";
    if (::mkdtemp(dir) != nullptr) f.golden_dir = dir;
    return f;
  }();
  return loaded;
}

// The point's committed metrics as a results.jsonl line of a run that reproduced them.
nlohmann::ordered_json committed_result(const npusim::SuitePoint& point) {
  const std::string file = std::string(NPUSIM_SOURCE_DIR) + "/tests/regression/golden/" + point.name + ".json";
  const auto golden = nlohmann::ordered_json::parse(npusim::read_text_file(file).value_or("{}"));
  return {{"status", "ok"}, {"metrics", golden.value("metrics", nlohmann::ordered_json::object())}};
}

void check_golden(npusim::RegressionSuite& one, const std::string& file) {
  const npusim::SuitePoint& point = one.points.front();
  try {
    npusim::check_golden_dir(one, fixture().golden_dir);
  } catch (const npusim::InputError&) {
  }
  bool found = false;
  const nlohmann::ordered_json golden = npusim::read_golden(point, file, found);
  const auto changes = npusim::compare_with_golden(point, golden, committed_result(point), one.relative_tolerance);
  npusim::changes_table(changes);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Fixture& f = fixture();
  if (size == 0 || f.golden_dir.empty() || f.suite.points.empty()) return 0;
  npusim::RegressionSuite one = f.suite;
  one.points = {f.suite.points[data[0] % f.suite.points.size()]};
  const std::string file = f.golden_dir + "/" + one.points.front().name + ".json";
  FILE* out = std::fopen(file.c_str(), "wb");
  if (out == nullptr) return 0;
  const bool written = std::fwrite(data + 1, 1, size - 1, out) == size - 1;
  std::fclose(out);
  try {
    if (written) check_golden(one, file);
  } catch (const npusim::InputError&) {
  }
  std::remove(file.c_str());
  return 0;
}
