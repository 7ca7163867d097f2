// One-operator workloads (gemm, matmul, conv, fc) for probing the array and memory system directly.
#include <cstdint>
#include <limits>
#include <string>
#include <utility>

#include "workloads/zoo/zoo_builders.h"

namespace npusim {
namespace {

// The workload of one operator, named after the spec, at the spec's dtype and batch.
Workload single_op_workload(const WorkloadSpec& spec, const ZooCommonParams& common, OpKind kind,
                            OpParams params) {
  Operator op = make_operator(spec.name, kind, std::move(params));
  op.dtype = common.dtype;
  op.batch = common.batch;
  std::vector<Operator> ops;
  ops.push_back(std::move(op));
  return make_zoo_workload(spec, std::move(ops));
}

// batch counts independent matmuls; with b_is_weight they share one B (e.g. a layer over many inputs).
Workload batched_matmul(const WorkloadSpec& spec, DType default_dtype, bool b_is_weight) {
  const ZooCommonParams common = read_common_params(spec, default_dtype, {"m", "n", "k"});
  MatMulParams p;
  p.m = param_positive_u64(spec, "m", std::nullopt);
  p.n = param_positive_u64(spec, "n", std::nullopt);
  p.k = param_positive_u64(spec, "k", std::nullopt);
  p.b_is_weight = b_is_weight;
  return single_op_workload(spec, common, OpKind::kMatMul, p);
}

}  // namespace

Workload build_gemm(const WorkloadSpec& spec, DType default_dtype) {
  return batched_matmul(spec, default_dtype, true);
}

Workload build_matmul(const WorkloadSpec& spec, DType default_dtype) {
  return batched_matmul(spec, default_dtype, false);
}

Workload build_conv(const WorkloadSpec& spec, DType default_dtype) {
  const ZooCommonParams common =
      read_common_params(spec, default_dtype, {"h", "w", "c", "k", "r", "s", "stride", "pad", "groups"});
  ConvParams p;
  p.in_h = param_positive_u32(spec, "h", std::nullopt);
  p.in_w = param_positive_u32(spec, "w", std::nullopt);
  p.in_c = param_positive_u32(spec, "c", std::nullopt);
  p.out_c = param_positive_u32(spec, "k", std::nullopt);
  p.kernel_h = param_positive_u32(spec, "r", std::nullopt);
  p.kernel_w = param_positive_u32(spec, "s", p.kernel_h);  // square unless told otherwise
  p.stride_h = p.stride_w = param_positive_u32(spec, "stride", 1);
  p.pad_top = p.pad_bottom = p.pad_left = p.pad_right = param_u32(spec, "pad", 0);
  p.groups = param_positive_u32(spec, "groups", 1);
  if (p.in_c % p.groups != 0 || p.out_c % p.groups != 0) {
    throw_spec_error(spec, "groups",
                     "expected a divisor of both c (" + std::to_string(p.in_c) + ") and k (" +
                         std::to_string(p.out_c) + "), got " + std::to_string(p.groups));
  }
  // 64-bit sums: a padded extent must neither wrap nor exceed what the IR's 32-bit shape math holds.
  const uint64_t padded_h = uint64_t{p.in_h} + 2ull * p.pad_top;
  const uint64_t padded_w = uint64_t{p.in_w} + 2ull * p.pad_left;
  if (padded_h > std::numeric_limits<int32_t>::max() || padded_w > std::numeric_limits<int32_t>::max()) {
    throw_spec_error(spec, "pad", "expected h + 2*pad and w + 2*pad below 2^31");
  }
  if (padded_h < p.kernel_h) {
    throw_spec_error(spec, "r",
                     "expected a kernel no taller than h + 2*pad (" + std::to_string(padded_h) + ")");
  }
  if (padded_w < p.kernel_w) {
    throw_spec_error(spec, "s",
                     "expected a kernel no wider than w + 2*pad (" + std::to_string(padded_w) + ")");
  }
  return single_op_workload(spec, common, OpKind::kConv2d, p);
}

Workload build_fc(const WorkloadSpec& spec, DType default_dtype) {
  const ZooCommonParams common = read_common_params(spec, default_dtype, {"in", "out"});
  MatMulParams p;
  p.m = 1;  // one row per batch item
  p.k = param_positive_u64(spec, "in", std::nullopt);
  p.n = param_positive_u64(spec, "out", std::nullopt);
  p.b_is_weight = true;
  return single_op_workload(spec, common, OpKind::kFullyConnected, p);
}

}  // namespace npusim
