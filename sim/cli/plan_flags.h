// The multi-chip plan flags shared by `npusim run` and `npusim serve`: --system, --gpu-system, --tp, --pp,
// --ep, --dp, --micro-batches, --expert-load-pct, --all-reduce and --chips.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <boost/program_options.hpp>

#include "sim/run/multichip_run.h"

namespace npusim {

// Read as signed integers so that a negative value is an error rather than a wrap-around.
struct PlanFlags {
  std::string system;
  std::string gpu_system;
  int64_t tp = 1, pp = 1, ep = 1, dp = 1, micro_batches = 0, expert_load_pct = 100, chips = 0;
  std::string all_reduce = "ring";
};

void add_plan_flags(boost::program_options::options_description& described, PlanFlags& flags);

// None when no plan flag was given; InputError for a plan flag without --system or out of range.
std::optional<MultichipOptions> plan_from_flags(const boost::program_options::variables_map& values,
                                                const PlanFlags& flags);

}  // namespace npusim
