// Operators that lower alike (see operator_identity.h).
#include "workloads/mapper/operator_identity.h"

#include <tuple>
#include <type_traits>

namespace npusim {
namespace {

// Every field of each kind of params, one overload per kind (a new kind fails to compile until listed).
// A field added to a params struct changes its size: the asserts make it fail to compile until listed.
static_assert(sizeof(ConvParams) == 56 && sizeof(MatMulParams) == 32 && sizeof(PoolParams) == 48 &&
                  sizeof(EltwiseParams) == 16 && sizeof(RowParams) == 16 && sizeof(RotaryParams) == 16 &&
                  sizeof(EmbeddingParams) == 24 && sizeof(AttentionParams) == 40,
              "a params struct changed: list its fields below");
auto fields(const ConvParams& p) {
  return std::tie(p.in_h, p.in_w, p.in_c, p.out_c, p.kernel_h, p.kernel_w, p.stride_h, p.stride_w, p.pad_top,
                  p.pad_bottom, p.pad_left, p.pad_right, p.groups, p.bias);
}
auto fields(const MatMulParams& p) { return std::tie(p.m, p.n, p.k, p.b_is_weight, p.bias, p.tied_weights, p.experts); }
auto fields(const PoolParams& p) {
  return std::tie(p.in_h, p.in_w, p.channels, p.kernel_h, p.kernel_w, p.stride_h, p.stride_w, p.pad_top,
                  p.pad_bottom, p.pad_left, p.pad_right, p.global);
}
auto fields(const EltwiseParams& p) { return std::tie(p.elements, p.inputs, p.kind); }
auto fields(const RowParams& p) { return std::tie(p.rows, p.width); }
auto fields(const RotaryParams& p) { return std::tie(p.tokens, p.heads, p.head_dim); }
auto fields(const EmbeddingParams& p) { return std::tie(p.tokens, p.table_rows, p.width); }
auto fields(const AttentionParams& p) {
  return std::tie(p.heads, p.kv_heads, p.head_dim, p.q_len, p.past_len, p.causal, p.kv_cache, p.fused);
}

}  // namespace

bool lowers_alike(const Operator& a, const Operator& b) {
  if (a.kind != b.kind || a.dtype != b.dtype || a.batch != b.batch || a.activation != b.activation ||
      a.params.index() != b.params.index()) {
    return false;
  }
  return std::visit(
      [&b](const auto& x) { return fields(x) == fields(std::get<std::decay_t<decltype(x)>>(b.params)); },
      a.params);
}

}  // namespace npusim
