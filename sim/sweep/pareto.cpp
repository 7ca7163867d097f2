#include "sim/sweep/pareto.h"

#include <algorithm>
#include <limits>

namespace npusim {

std::vector<size_t> pareto_front(const std::vector<std::pair<double, double>>& points, ParetoGoal goal) {
  // Turn both goals into minimisation, sort by x then y, and keep each point that beats the best y so far.
  std::vector<std::pair<double, double>> cost(points.size());
  for (size_t i = 0; i < points.size(); ++i) {
    cost[i] = {goal.minimize_x ? points[i].first : -points[i].first,
               goal.minimize_y ? points[i].second : -points[i].second};
  }
  std::vector<size_t> order(points.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return cost[a] < cost[b]; });
  std::vector<size_t> front;
  double best_y = std::numeric_limits<double>::infinity();
  for (const size_t i : order) {
    const bool better = cost[i].second < best_y;
    const bool same_as_last = !front.empty() && cost[i] == cost[front.back()];
    if (better || same_as_last) {
      front.push_back(i);
      best_y = std::min(best_y, cost[i].second);
    }
  }
  return front;
}

bool higher_is_better(const std::string& metric) {
  for (const char* word : {"utilization", "efficiency", "tops", "inferences_per", "speedup", "speed_up",
                           "per_j", "per_w", "throughput", "_over_"}) {
    if (metric.find(word) != std::string::npos) return true;
  }
  return false;
}

}  // namespace npusim
