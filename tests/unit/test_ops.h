// Operators built by hand for the mapper and partitioning tests.
#pragma once

#include <cstdint>
#include <string>

#include "workloads/ir/operator.h"

namespace npusim_test {

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
