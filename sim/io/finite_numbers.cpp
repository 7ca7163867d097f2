#include "sim/io/finite_numbers.h"

#include <cmath>
#include <stdexcept>
#include <utility>
#include <vector>

namespace npusim {

std::string first_non_finite_number(const nlohmann::ordered_json& json) {
  // Iterative, so nesting depth costs heap, not stack.
  std::vector<std::pair<const nlohmann::ordered_json*, std::string>> pending{{&json, ""}};
  while (!pending.empty()) {
    const auto [node, path] = pending.back();
    pending.pop_back();
    if (node->is_number_float() && !std::isfinite(node->get<double>())) return path.empty() ? "<root>" : path;
    if (node->is_object()) {
      for (auto it = node->rbegin(); it != node->rend(); ++it)
        pending.emplace_back(&it.value(), path.empty() ? it.key() : path + "." + it.key());
    } else if (node->is_array()) {
      for (size_t i = node->size(); i-- > 0;) pending.emplace_back(&(*node)[i], path + "[" + std::to_string(i) + "]");
    }
  }
  return "";
}

void require_finite_numbers(const nlohmann::ordered_json& json, const std::string& what) {
  const std::string path = first_non_finite_number(json);
  if (!path.empty()) throw std::logic_error(what + ": " + path + " is not a finite number (a modelling bug)");
}

}  // namespace npusim
