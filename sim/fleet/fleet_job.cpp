#include "sim/fleet/fleet_job.h"

#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "arch/spec/input_error.h"
#include "sim/fleet/fleet_capacity.h"
#include "sim/fleet/fleet_report.h"
#include "sim/io/result_set.h"

namespace npusim {
namespace {

// The workers' --out folders: removed however the command ends.
class ScratchDir {
 public:
  ScratchDir()
      : path_((std::filesystem::temp_directory_path() / fmt::format("npusim-fleet-{}", ::getpid())).string()) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// A demand no candidate carries, even with one device to itself, is an input error: say why per candidate.
void check_some_candidate_meets(const FleetSpec& spec, const std::vector<FleetRow>& rows) {
  for (size_t d = 0; d < spec.demands.size(); ++d) {
    std::string why;
    bool met = false;
    for (const FleetRow& row : rows) {
      met = met || row.pools[d].devices.has_value();
      why += fmt::format("{}{}: {}", why.empty() ? "" : "; ", row.candidate, row.pools[d].limit);
    }
    if (!met) throw InputError(spec.file, spec.demands[d].path, "no candidate can meet this demand (" + why + ")");
  }
}

}  // namespace

int fleet_command(const FleetOptions& options) {
  const FleetSpec spec = load_fleet_spec(options.spec_file);
  const std::vector<FleetDemand> demands = fleet_demands(spec);
  std::vector<FleetRow> rows;
  std::vector<std::vector<CapacityNote>> notes;
  {
    const ScratchDir scratch;
    const auto measured = measure_capacities(spec, scratch.path(), options.quiet ? nullptr : &std::cerr);
    for (size_t c = 0; c < spec.candidates.size(); ++c) {
      const CandidateSpec& candidate = spec.candidates[c];
      std::vector<DemandCapacity> capacities;
      notes.emplace_back();
      for (const MeasuredCapacity& m : measured[c]) {
        capacities.push_back(m.capacity);
        notes.back().push_back(m.note);
      }
      const FleetCandidate sized{candidate.name, candidate.device(), candidate.unit_price_usd, candidate.board_power_w};
      rows.push_back(size_fleet(sized, demands, capacities, spec.economics));
    }
  }
  check_some_candidate_meets(spec, rows);
  std::cout << fleet_table(spec, rows) << std::flush;
  if (!options.out_dir.empty()) {
    write_result_set(options.out_dir, {{"fleet.json", fleet_json(spec, rows, notes).dump(2) + "\n"},
                                       {"fleet.csv", fleet_csv(rows)}});
  }
  return 0;
}

}  // namespace npusim
