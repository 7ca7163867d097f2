#include "workloads/importers/trace_graph.h"

#include <functional>
#include <limits>
#include <queue>
#include <unordered_map>

#include "arch/spec/input_error.h"
#include "workloads/importers/trace_field_reader.h"

namespace npusim {

std::vector<std::vector<uint32_t>> resolve_trace_inputs(const std::vector<ParsedTraceOperator>& parsed,
                                                  const std::string& file) {
  constexpr size_t kAmbiguous = std::numeric_limits<size_t>::max();
  std::unordered_map<std::string, size_t> by_name;
  for (size_t i = 0; i < parsed.size(); ++i) {
    const auto [it, inserted] = by_name.emplace(parsed[i].op.name, i);
    if (!inserted) it->second = kAmbiguous;
  }
  std::vector<std::vector<uint32_t>> inputs(parsed.size());
  for (size_t i = 0; i < parsed.size(); ++i) {
    const auto& refs = parsed[i].input_refs;
    for (size_t j = 0; j < refs.size(); ++j) {
      const nlohmann::json& ref = *refs[j];
      const std::string where = "operators[" + std::to_string(i) + "].inputs[" + std::to_string(j) + "]";
      const std::string suffix = " (operator '" + parsed[i].op.name + "')";
      size_t producer = 0;
      if (ref.is_string()) {
        const auto it = by_name.find(ref.get<std::string>());
        if (it == by_name.end())
          throw InputError(file, where, "no operator is named " + describe_trace_value(ref) + suffix);
        if (it->second == kAmbiguous) {
          throw InputError(
              file, where,
              "several operators are named " + describe_trace_value(ref) + "; refer to one by index" + suffix);
        }
        producer = it->second;
      } else if (ref.is_number_unsigned() || (ref.is_number_integer() && ref.get<int64_t>() >= 0)) {
        producer = ref.get<uint64_t>();
        if (producer >= parsed.size()) {
          throw InputError(file, where,
                           "expected an operator index below " + std::to_string(parsed.size()) + ", got " +
                               describe_trace_value(ref) + suffix);
        }
      } else {
        throw InputError(file, where, "expected an operator name or index, got " + describe_trace_value(ref) + suffix);
      }
      inputs[i].push_back(static_cast<uint32_t>(producer));
    }
  }
  return inputs;
}

std::vector<size_t> trace_dependency_order(const std::vector<std::vector<uint32_t>>& inputs,
                                           const std::vector<ParsedTraceOperator>& parsed,
                                           const std::string& file) {
  const size_t n = inputs.size();
  std::vector<size_t> pending(n, 0);
  std::vector<std::vector<size_t>> consumers(n);
  for (size_t i = 0; i < n; ++i) {
    for (uint32_t producer : inputs[i]) {
      ++pending[i];
      consumers[producer].push_back(i);
    }
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < n; ++i) {
    if (pending[i] == 0) ready.push(i);
  }
  std::vector<size_t> order;
  order.reserve(n);
  while (!ready.empty()) {
    const size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (size_t consumer : consumers[i]) {
      if (--pending[consumer] == 0) ready.push(consumer);
    }
  }
  if (order.size() == n) return order;
  // Every operator left waits on another one left: walk producers until one repeats.
  size_t at = 0;
  while (pending[at] == 0) ++at;
  std::vector<size_t> walk;
  std::vector<size_t> position(n, n);
  while (position[at] == n) {
    position[at] = walk.size();
    walk.push_back(at);
    for (uint32_t producer : inputs[at]) {
      if (pending[producer] != 0) {
        at = producer;
        break;
      }
    }
  }
  // walk[k + 1] produces walk[k]: data flows from `at` through the walk backwards to `at` again.
  std::string cycle = "'" + parsed[at].op.name + "'";
  for (size_t k = walk.size(); k-- > position[at] + 1;) cycle += " -> '" + parsed[walk[k]].op.name + "'";
  cycle += " -> '" + parsed[at].op.name + "'";
  throw InputError(
      file, "operators[" + std::to_string(at) + "].inputs",
      "expected dependencies without cycles, found " + cycle + " (operator '" + parsed[at].op.name + "')");
}

}  // namespace npusim
