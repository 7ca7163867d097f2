// Parses and validates the arguments of `npusim pareto DIR --x METRIC --y METRIC`: the Pareto front of a
// sweep's results (per workload), written to DIR/pareto.csv, and the best point for every metric that varies.
#include "arch/spec/input_error.h"
#include "sim/cli/command_args.h"
#include "sim/cli/option_parsing.h"
#include "sim/sweep/pareto_report.h"

namespace npusim {
namespace po = boost::program_options;

std::optional<ParetoQuery> parse_pareto_args(const Args& args) {
  ParetoQuery query;
  std::vector<std::string> where_texts;
  double rate_per_s = 0.0;
  bool minimize_x = false, maximize_x = false, minimize_y = false, maximize_y = false;
  po::options_description described("Options");
  described.add_options()("dir", po::value(&query.dir)->required(),
                          "sweep results folder (npusim sweep --out DIR)")(
      "x", po::value(&query.x_name)->required(), "metric (or numeric axis) on x, e.g. cycles")(
      "y", po::value(&query.y_name)->required(),
      "metric (or numeric axis) on y, e.g. energy_j or npu.sram.capacity_bytes")(
      "minimize-x", po::bool_switch(&minimize_x), "smaller x is better (default)")(
      "maximize-x", po::bool_switch(&maximize_x), "larger x is better")(
      "minimize-y", po::bool_switch(&minimize_y), "smaller y is better (default)")(
      "maximize-y", po::bool_switch(&maximize_y), "larger y is better")(
      "workload", po::value(&query.workload_filter), "only this workload (default: one front per workload)")(
      "where", po::value(&where_texts)->composing(),
      "keep points where NAME OP NUMBER holds, e.g. \"inferences_per_s>=240\" (repeatable; OP: >= <= > < == !=)")(
      "rate", po::value(&rate_per_s),
      "required inferences/s: keeps the designs that sustain it and derives power_at_rate_w = idle + "
      "duty x (busy - idle) with duty = rate / inferences_per_s");
  po::positional_options_description positional;
  positional.add("dir", 1);
  po::variables_map values;
  if (!parse_options(
          args, described, positional, values,
          "usage: npusim pareto DIR --x METRIC --y METRIC [--maximize-x] [--maximize-y] [--workload W] "
          "[--where \"NAME>=VALUE\" ...] [--rate INFERENCES_PER_S]")) {
    return std::nullopt;
  }
  if (minimize_x && maximize_x) throw InputError("<cli>", "--maximize-x", "conflicts with --minimize-x");
  if (minimize_y && maximize_y) throw InputError("<cli>", "--maximize-y", "conflicts with --minimize-y");
  query.goal = ParetoGoal{!maximize_x, !maximize_y};
  for (const auto& text : where_texts) query.where.push_back(parse_where(text));
  if (values.count("rate") > 0 && !(rate_per_s > 0)) {
    throw InputError("<cli>", "--rate", "expected a positive number of inferences per second");
  }
  query.rate_per_s = rate_per_s;
  return query;
}

}  // namespace npusim
