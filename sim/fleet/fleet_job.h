// `npusim fleet SPEC [--out DIR]`: measure each candidate's per-device capacity for each demand, size the
// fleet, print the table and write DIR/fleet.json and DIR/fleet.csv.
#pragma once

#include <string>

namespace npusim {

struct FleetOptions {
  std::string spec_file;
  std::string out_dir;  // empty: table only
  bool quiet = false;   // no progress lines
};

int fleet_command(const FleetOptions& options);

}  // namespace npusim
