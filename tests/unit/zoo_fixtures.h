// What the model zoo tests share: a workload built from its spec, counts over its operators, and specs
// the zoo must reject.
#pragma once

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <variant>

#include "arch/spec/input_error.h"
#include "workloads/zoo/model_zoo.h"

namespace npusim_test {

inline npusim::Workload build_zoo(const std::string& spec,
                                  npusim::DType default_dtype = npusim::DType::kInt8) {
  return npusim::build_zoo_workload(npusim::parse_workload_spec(spec), default_dtype);
}

inline size_t count_kind(const npusim::Workload& workload, npusim::OpKind kind) {
  size_t count = 0;
  for (const auto& op : workload.ops) count += op.kind == kind ? 1 : 0;
  return count;
}

// Sum of conv output channels: BatchNorm (or, once folded, a bias) adds parameters per output channel.
inline uint64_t conv_output_channels(const npusim::Workload& workload) {
  uint64_t channels = 0;
  for (const auto& op : workload.ops) {
    if (const auto* conv = std::get_if<npusim::ConvParams>(&op.params)) channels += conv->out_c;
  }
  return channels;
}

inline const npusim::Operator& find_op(const npusim::Workload& workload, const std::string& name) {
  for (const auto& op : workload.ops) {
    if (op.name == name) return op;
  }
  FAIL("no operator named " << name);
  return workload.ops.front();
}

// |value - reference| / reference: how far a count is from the published figure.
inline double relative_error(double value, double reference) {
  return std::abs(value - reference) / reference;
}

// A spec the zoo rejects, and a part of the message its InputError must hold.
struct RejectedSpec {
  const char* spec;
  const char* expected;
};

inline void check_rejected_specs(std::initializer_list<RejectedSpec> cases,
                                 npusim::DType default_dtype = npusim::DType::kInt8) {
  for (const RejectedSpec& c : cases) {
    CAPTURE(c.spec);
    CHECK_THROWS_WITH_AS(build_zoo(c.spec, default_dtype), doctest::Contains(c.expected), npusim::InputError);
  }
}

}  // namespace npusim_test
