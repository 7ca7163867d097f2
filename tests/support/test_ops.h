// Operators built by hand for the mapper, partitioning, GPU-model and simulation tests.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "workloads/ir/operator.h"

namespace npusim_test {

// An m x k times k x n fully connected layer, the k x n side its weights, batch 1.
inline npusim::Operator fc_op(const std::string& name, uint64_t m, uint64_t n, uint64_t k,
                              npusim::DType dtype = npusim::DType::kInt8) {
  npusim::Operator op;
  op.name = name;
  op.kind = npusim::OpKind::kFullyConnected;
  op.dtype = dtype;
  op.params = npusim::MatMulParams{m, n, k, true};
  return op;
}

// A residual add of two tensors of `elements` each, reading the outputs of operators `inputs`.
inline npusim::Operator add_op(uint64_t elements, std::vector<uint32_t> inputs = {},
                               npusim::DType dtype = npusim::DType::kInt8) {
  npusim::Operator op;
  op.name = "add";
  op.kind = npusim::OpKind::kElementwise;
  op.dtype = dtype;
  op.params = npusim::EltwiseParams{elements, 2, npusim::EltwiseKind::kAdd};
  op.inputs = std::move(inputs);
  return op;
}

// Scaled dot-product attention of `heads` query heads over `kv_heads` K/V heads of `head_dim`: `q_len`
// new tokens over `past` cached ones.
inline npusim::Operator attention_op(uint32_t heads, uint32_t kv_heads, uint32_t head_dim, uint64_t q_len,
                                     uint64_t past, bool causal, bool kv_cache, bool fused,
                                     npusim::DType dtype = npusim::DType::kBf16) {
  npusim::AttentionParams p;
  p.heads = heads;
  p.kv_heads = kv_heads;
  p.head_dim = head_dim;
  p.q_len = q_len;
  p.past_len = past;
  p.causal = causal;
  p.kv_cache = kv_cache;
  p.fused = fused;
  npusim::Operator op;
  op.name = "attention";
  op.kind = npusim::OpKind::kAttention;
  op.dtype = dtype;
  op.params = p;
  return op;
}

// A square size x size x in_c -> out_c convolution, int8, batch 1.
inline npusim::Operator conv_op(const std::string& name, uint32_t size, uint32_t in_c, uint32_t out_c,
                                uint32_t kernel, uint32_t stride, uint32_t pad, uint32_t groups = 1) {
  npusim::Operator op;
  op.name = name;
  op.kind = npusim::OpKind::kConv2d;
  npusim::ConvParams conv;
  conv.in_h = conv.in_w = size;
  conv.in_c = in_c;
  conv.out_c = out_c;
  conv.kernel_h = conv.kernel_w = kernel;
  conv.stride_h = conv.stride_w = stride;
  conv.pad_top = conv.pad_bottom = conv.pad_left = conv.pad_right = pad;
  conv.groups = groups;
  op.params = conv;
  return op;
}

}  // namespace npusim_test
