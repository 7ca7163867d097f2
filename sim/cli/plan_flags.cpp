// Parsing of the multi-chip plan flags (run and serve).
#include "sim/cli/plan_flags.h"

#include <fmt/format.h>

#include "arch/spec/input_error.h"

namespace npusim {
namespace po = boost::program_options;
namespace {

uint32_t plan_degree(const char* flag, int64_t value, int64_t low, int64_t high) {
  if (value < low || value > high) {
    throw InputError("<cli>", std::string("--") + flag,
                     fmt::format("expected an integer from {} to {}, got {}", low, high, value));
  }
  return static_cast<uint32_t>(value);
}

}  // namespace

void add_plan_flags(po::options_description& described, PlanFlags& flags) {
  // clang-format off
  described.add_options()
      ("system", po::value(&flags.system),
       "multi-chip system: a preset (configs/systems/) or a JSON file; its chip preset unless --npu")
      ("gpu-system", po::value(&flags.gpu_system), "with --system: the GPU server running the same plan (--gpu chips)")
      ("tp", po::value(&flags.tp), "with --system: tensor-parallel degree (heads, FFN and vocabulary split)")
      ("pp", po::value(&flags.pp), "with --system: pipeline stages (layers split)")
      ("ep", po::value(&flags.ep), "with --system: expert-parallel degree for MoE models (1 or --tp)")
      ("dp", po::value(&flags.dp), "with --system: data-parallel replicas (run: the batch split; serve: the requests)")
      ("micro-batches", po::value(&flags.micro_batches), "with --system: micro-batches per replica (default: --pp)")
      ("expert-load-pct", po::value(&flags.expert_load_pct),
       "with --ep: the busiest rank's routed tokens against the mean, 100 (balanced) to 100 * ep")
      ("all-reduce", po::value(&flags.all_reduce), "with --system: ring or tree (recursive halving-doubling)")
      ("chips", po::value(&flags.chips), "with --system: chips in the system instead of the preset's");
  // clang-format on
}

std::optional<MultichipOptions> plan_from_flags(const po::variables_map& values, const PlanFlags& flags) {
  bool any = false;
  for (const char* flag : {"system", "gpu-system", "tp", "pp", "ep", "dp", "micro-batches", "expert-load-pct",
                           "all-reduce", "chips"}) {
    any = any || values.count(flag) > 0;
  }
  if (!any) return std::nullopt;
  if (!values.count("system")) throw InputError("<cli>", "--tp", "plan options need --system (a multi-chip system)");
  MultichipOptions mc;
  mc.system = flags.system;
  mc.gpu_system = flags.gpu_system;
  mc.npu_given = values.count("npu") && !values["npu"].defaulted();
  mc.plan.tp = plan_degree("tp", flags.tp, 1, 1024);
  mc.plan.pp = plan_degree("pp", flags.pp, 1, 1024);
  mc.plan.ep = plan_degree("ep", flags.ep, 1, 1024);
  mc.plan.dp = plan_degree("dp", flags.dp, 1, 1024);
  mc.plan.micro_batches = plan_degree("micro-batches", flags.micro_batches, 0, 1000000);
  mc.plan.expert_load_pct = plan_degree("expert-load-pct", flags.expert_load_pct, 100, 102400);
  mc.chips = plan_degree("chips", flags.chips, 0, 1024);
  if (flags.all_reduce != "ring" && flags.all_reduce != "tree") {
    throw InputError("<cli>", "--all-reduce", "expected ring or tree, got '" + flags.all_reduce + "'");
  }
  mc.plan.tree_all_reduce = flags.all_reduce == "tree";
  const uint32_t tp = mc.plan.tp;
  if (mc.plan.tree_all_reduce && (tp & (tp - 1)) != 0) {
    throw InputError("<cli>", "--all-reduce", "tree needs a power-of-two --tp, got " + std::to_string(tp));
  }
  return mc;
}

}  // namespace npusim
