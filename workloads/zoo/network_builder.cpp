// Shape tracking and operator emission for the zoo models.
#include "workloads/zoo/network_builder.h"

#include <stdexcept>
#include <utility>

namespace npusim {
namespace {

// Shape mismatches here are bugs in a zoo model, not bad user input: user-facing checks come first.
void require_same_spatial(const TensorRef& a, const TensorRef& b, const std::string& name) {
  if (a.h != b.h || a.w != b.w) throw std::logic_error("network builder: spatial mismatch at " + name);
}

}  // namespace

TensorRef NetworkBuilder::push(Operator op, std::vector<uint32_t> inputs, uint32_t out_h, uint32_t out_w,
                               uint32_t out_c) {
  op.dtype = dtype_;
  op.batch = batch_;
  op.inputs = std::move(inputs);
  ops_.push_back(std::move(op));
  return TensorRef{out_h, out_w, out_c, {static_cast<uint32_t>(ops_.size() - 1)}};
}

TensorRef NetworkBuilder::conv(const std::string& name, const TensorRef& in, uint32_t out_c, uint32_t kernel,
                               uint32_t stride, uint32_t pad, uint32_t groups, Activation activation) {
  ConvParams p;
  p.in_h = in.h;
  p.in_w = in.w;
  p.in_c = in.c;
  p.out_c = out_c;
  p.kernel_h = p.kernel_w = kernel;
  p.stride_h = p.stride_w = stride;
  p.pad_top = p.pad_bottom = p.pad_left = p.pad_right = pad;
  p.groups = groups;
  if (in.c % groups != 0 || out_c % groups != 0 || in.h + 2 * pad < kernel || in.w + 2 * pad < kernel) {
    throw std::logic_error("network builder: bad conv shape at " + name);
  }
  Operator op = make_operator(name, OpKind::kConv2d, p, activation);
  return push(std::move(op), in.producers, conv_out_h(p), conv_out_w(p), out_c);
}

TensorRef NetworkBuilder::maxpool(const std::string& name, const TensorRef& in, uint32_t kernel,
                                  uint32_t stride, uint32_t pad) {
  PoolParams p;
  p.in_h = in.h;
  p.in_w = in.w;
  p.channels = in.c;
  p.kernel_h = p.kernel_w = kernel;
  p.stride_h = p.stride_w = stride;
  p.pad_top = p.pad_bottom = p.pad_left = p.pad_right = pad;
  if (in.h + 2 * pad < kernel || in.w + 2 * pad < kernel) {
    throw std::logic_error("network builder: bad pool shape at " + name);
  }
  Operator op = make_operator(name, OpKind::kMaxPool, p);
  return push(std::move(op), in.producers, pool_out_h(p), pool_out_w(p), in.c);
}

TensorRef NetworkBuilder::global_avgpool(const std::string& name, const TensorRef& in) {
  PoolParams p;
  p.in_h = p.kernel_h = in.h;
  p.in_w = p.kernel_w = in.w;
  p.channels = in.c;
  p.global = true;
  Operator op = make_operator(name, OpKind::kAvgPool, p);
  return push(std::move(op), in.producers, 1, 1, in.c);
}

TensorRef NetworkBuilder::fc(const std::string& name, const TensorRef& in, uint32_t out_features,
                             Activation activation) {
  MatMulParams p;
  p.m = 1;  // per batch item; gemm_view multiplies by Operator::batch
  p.n = out_features;
  p.k = uint64_t{in.h} * in.w * in.c;
  p.b_is_weight = true;
  Operator op = make_operator(name, OpKind::kFullyConnected, p, activation);
  return push(std::move(op), in.producers, 1, 1, out_features);
}

TensorRef NetworkBuilder::add(const std::string& name, const TensorRef& a, const TensorRef& b,
                              Activation activation) {
  require_same_spatial(a, b, name);
  if (a.c != b.c) throw std::logic_error("network builder: channel mismatch at " + name);
  EltwiseParams p;
  p.elements = uint64_t{a.h} * a.w * a.c;
  p.inputs = 2;
  p.kind = EltwiseKind::kAdd;
  Operator op = make_operator(name, OpKind::kElementwise, p, activation);
  std::vector<uint32_t> inputs = a.producers;
  inputs.insert(inputs.end(), b.producers.begin(), b.producers.end());
  return push(std::move(op), std::move(inputs), a.h, a.w, a.c);
}

TensorRef NetworkBuilder::scale(const std::string& name, const TensorRef& x, const TensorRef& gate) {
  if (gate.c != x.c || gate.h != 1 || gate.w != 1) throw std::logic_error("network builder: bad gate at " + name);
  EltwiseParams p;
  // The IR's eltwise reads `elements * inputs`: the gate's C values are counted as a full map (an
  // over-count of one feature map's reads, small next to the convs around it).
  p.elements = uint64_t{x.h} * x.w * x.c;
  p.inputs = 2;
  p.kind = EltwiseKind::kMul;
  Operator op = make_operator(name, OpKind::kElementwise, p);
  std::vector<uint32_t> inputs = x.producers;
  inputs.insert(inputs.end(), gate.producers.begin(), gate.producers.end());
  return push(std::move(op), std::move(inputs), x.h, x.w, x.c);
}

TensorRef NetworkBuilder::upsample(const std::string& name, const TensorRef& in, uint32_t scale_factor) {
  const uint32_t out_h = in.h * scale_factor;
  const uint32_t out_w = in.w * scale_factor;
  EltwiseParams p;
  // The IR's eltwise reads `elements * inputs`, so this over-counts the source reads by scale_factor^2
  // (a 1/4-size tensor for 2x): small next to the convs around it, and the write count is exact.
  p.elements = uint64_t{out_h} * out_w * in.c;
  p.inputs = 1;
  p.kind = EltwiseKind::kCopy;
  Operator op = make_operator(name, OpKind::kElementwise, p);
  return push(std::move(op), in.producers, out_h, out_w, in.c);
}

TensorRef NetworkBuilder::concat(const std::vector<TensorRef>& parts) {
  if (parts.empty()) throw std::logic_error("network builder: empty concat");
  TensorRef out{parts.front().h, parts.front().w, 0, {}};
  for (const auto& part : parts) {
    require_same_spatial(out, part, "concat");
    out.c += part.c;
    out.producers.insert(out.producers.end(), part.producers.begin(), part.producers.end());
  }
  return out;
}

}  // namespace npusim
