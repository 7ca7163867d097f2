#include "workloads/ir/workload_limits.h"

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

#include "arch/spec/input_error.h"

namespace npusim {
namespace {

using Extents = std::vector<std::pair<const char*, uint64_t>>;

// The extents an operator states, and an upper bound of its MACs (or element operations) and bytes.
struct OperatorSize {
  Extents extents;
  long double work = 0;   // >= op_macs: every extent multiplied that the reduction could touch
  long double bytes = 0;  // >= inputs + weights + outputs, in elements times 4 bytes
};

OperatorSize size_of(const ConvParams& p) {
  const long double in = static_cast<long double>(p.in_h) * p.in_w * p.in_c;
  const long double out = static_cast<long double>(p.in_h) * p.in_w * p.out_c;  // stride >= 1
  const long double weights = static_cast<long double>(p.out_c) * p.in_c * p.kernel_h * p.kernel_w;
  return {{{"in_h", p.in_h}, {"in_w", p.in_w}, {"in_c", p.in_c}, {"out_c", p.out_c}, {"kernel_h", p.kernel_h},
           {"kernel_w", p.kernel_w}, {"stride_h", p.stride_h}, {"stride_w", p.stride_w}, {"groups", p.groups}},
          out * p.in_c * p.kernel_h * p.kernel_w,
          4 * (in + out + weights)};
}
OperatorSize size_of(const MatMulParams& p) {
  const long double m = p.m, n = p.n, k = p.k;
  return {{{"m", p.m}, {"n", p.n}, {"k", p.k}}, m * n * k, 4 * (m * k + k * n + m * n)};
}
OperatorSize size_of(const PoolParams& p) {
  const long double in = static_cast<long double>(p.in_h) * p.in_w * p.channels;
  return {{{"in_h", p.in_h}, {"in_w", p.in_w}, {"channels", p.channels}, {"kernel_h", p.kernel_h},
           {"kernel_w", p.kernel_w}},
          in * p.kernel_h * p.kernel_w,
          8 * in};
}
OperatorSize size_of(const EltwiseParams& p) {
  // Elements are one flat extent; limited like m x n of a GEMM.
  const long double elements = p.elements;
  return {{{"inputs", p.inputs}}, elements, 4 * elements * (p.inputs + 1)};
}
OperatorSize size_of(const RowParams& p) {
  const long double elements = static_cast<long double>(p.rows) * p.width;
  return {{{"rows", p.rows}, {"width", p.width}}, elements, 8 * elements};
}
OperatorSize size_of(const RotaryParams& p) {
  const long double elements = static_cast<long double>(p.tokens) * p.heads * p.head_dim;
  return {{{"tokens", p.tokens}, {"heads", p.heads}, {"head_dim", p.head_dim}}, elements, 12 * elements};
}
OperatorSize size_of(const EmbeddingParams& p) {
  const long double gathered = static_cast<long double>(p.tokens) * p.width;
  return {{{"tokens", p.tokens}, {"table_rows", p.table_rows}, {"width", p.width}}, gathered, 8 * gathered};
}
OperatorSize size_of(const AttentionParams& p) {
  const long double kv = static_cast<long double>(p.past_len) + p.q_len;
  const long double heads = p.heads;
  return {{{"heads", p.heads}, {"kv_heads", p.kv_heads}, {"head_dim", p.head_dim}, {"q_len", p.q_len},
           {"past_len", p.past_len}},
          2 * heads * p.head_dim * p.q_len * kv,
          4 * heads * (p.q_len * kv + 2 * kv * p.head_dim)};
}

void check_operator(const Operator& op, const std::string& file) {
  const auto fail = [&](const std::string& field, const std::string& why) {
    throw InputError(file, "operator '" + op.name + "'" + (field.empty() ? "" : "." + field), why);
  };
  if (op.batch == 0 || op.batch > kMaxBatch)
    fail("batch", fmt::format("expected 1 to {} items, got {}", kMaxBatch, op.batch));
  const OperatorSize size = std::visit([](const auto& params) { return size_of(params); }, op.params);
  const bool flat = std::holds_alternative<EltwiseParams>(op.params);
  for (const auto& [name, extent] : size.extents) {
    if (extent > kMaxDimension && !flat)
      fail(name, fmt::format("expected at most {} (2^24) per extent, got {}", kMaxDimension, extent));
  }
  const long double work = size.work * op.batch, bytes = size.bytes * op.batch;
  if (work > kMaxOperatorMacs)
    fail("", fmt::format("{:.3g} operations in one operator; at most 2^60 are simulated", static_cast<double>(work)));
  if (bytes > kMaxOperatorBytes)
    fail("", fmt::format("{:.3g} bytes in one operator; at most 16 TiB are simulated", static_cast<double>(bytes)));
}

}  // namespace

void check_workload_limits(const Workload& workload) {
  const std::string file = workload.source.empty() ? workload.name : workload.source;
  if (workload.ops.size() > kMaxOperators) {
    throw InputError(file, "", fmt::format("{} operators; at most {} are simulated", workload.ops.size(), kMaxOperators));
  }
  for (const Operator& op : workload.ops) check_operator(op, file);
}

}  // namespace npusim
