// libFuzzer target: the files a sweep and a regression read back. The first byte chooses: 0 a sweep
// spec (JSON), 1 a results.jsonl (the resume reader), 2 a regression suite. Any input either parses or
// raises InputError.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "arch/spec/input_error.h"
#include "arch/spec/json_text.h"
#include "sim/regress/regress_suite.h"
#include "sim/sweep/results_store.h"
#include "sim/sweep/sweep_spec.h"

namespace {

// The readers take paths: the input goes to a private temporary file.
std::string write_temp(const std::string& text) {
  char path[] = "/tmp/npusim-fuzz-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return "";
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  return written ? path : "";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const int which = data[0] % 3;
  try {
    if (which == 0) {
      npusim::parse_sweep_spec(npusim::parse_json_text(text, "fuzz.json"), "fuzz.json");
      return 0;
    }
    const std::string path = write_temp(text);
    if (path.empty()) return 0;
    try {
      if (which == 1) {
        npusim::ResultSet set;
        npusim::read_results_file(path, set);
      } else {
        npusim::load_regression_suite(path);
      }
    } catch (...) {
      std::remove(path.c_str());
      throw;
    }
    std::remove(path.c_str());
  } catch (const npusim::InputError&) {
  }
  return 0;
}
