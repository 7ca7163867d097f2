// Pareto fronts over two metrics and which direction of a metric counts as better.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace npusim {

struct ParetoGoal {
  bool minimize_x = true;
  bool minimize_y = true;
};

// Indices of the non-dominated points, ordered by x from best to worst. A point is dominated when
// another is at least as good in both and strictly better in one; identical points are all kept.
std::vector<size_t> pareto_front(const std::vector<std::pair<double, double>>& points, ParetoGoal goal);

// Whether a larger value of a metric is better, judged by its name (utilization, tops, inferences per
// second or joule, speed-up, NPU-vs-GPU ratios named x_over_y); otherwise smaller is better (cycles, bytes,
// time, energy, power).
bool higher_is_better(const std::string& metric);

}  // namespace npusim
