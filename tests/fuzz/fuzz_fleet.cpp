// libFuzzer target: the fleet spec (`npusim fleet SPEC`), read and validated as the command does before
// it sizes anything: demands (stream entries through the traffic-file parser, LLM serve options and
// SLOs), candidates (presets resolved with their --set overrides, systems, prices and powers) and the
// economics. Any input either yields a spec or raises InputError.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <string>

#include "arch/spec/input_error.h"
#include "sim/fleet/fleet_spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The reader takes a path: the input goes to a private temporary file.
  char path[] = "/tmp/npusim-fuzz-fleet-XXXXXX.json";
  const int fd = ::mkstemps(path, 5);
  if (fd < 0) return 0;
  const bool written = ::write(fd, data, size) == static_cast<ssize_t>(size);
  ::close(fd);
  try {
    if (written) npusim::fleet_demands(npusim::load_fleet_spec(path));
  } catch (const npusim::InputError&) {
  }
  std::remove(path);
  return 0;
}
