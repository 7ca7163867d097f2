// `npusim pareto`: the Pareto front of a sweep's recorded results over two metrics (per workload),
// the best point for every metric that varies, and DIR/pareto.csv.
#pragma once

#include <string>
#include <vector>

#include "sim/sweep/pareto.h"
#include "sim/sweep/pareto_filter.h"

namespace npusim {

struct ParetoQuery {
  std::string dir;     // a sweep results folder (npusim sweep --out DIR)
  std::string x_name;  // a metric, or a numeric axis such as npu.sram.capacity_bytes
  std::string y_name;
  ParetoGoal goal;
  std::string workload_filter;  // empty: one front per workload
  std::vector<WhereClause> where;  // points must satisfy all (after power_at_rate_w is derived)
  double rate_per_s = 0.0;         // > 0: derive power_at_rate_w and keep only points that sustain it
};

struct ParetoReport {
  std::string text;  // the fronts and the best point per metric, for the terminal
  std::string csv;   // DIR/pareto.csv: id, workload, axes, x, y of every front point
};

// Reads DIR's successful results (only the points of the spec last run there when DIR/sweep.json
// lists them), derives power at the required rate, keeps the points meeting the constraints, and
// lists the lowest-power one among them. Throws InputError when there is none left or x, y or a
// --where name is neither a metric nor a numeric axis.
ParetoReport pareto_report(const ParetoQuery& query);

// Prints the report and writes DIR/pareto.csv; returns the exit code.
int pareto_command(const ParetoQuery& query);

}  // namespace npusim
