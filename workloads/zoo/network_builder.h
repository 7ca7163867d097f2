// Builds a Workload layer by layer, tracking each tensor's shape and producers so zoo models read like
// their framework definitions.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "workloads/ir/operator.h"

namespace npusim {

// A feature map (per batch item) and the operators whose outputs form it. The network input has no
// producers; a concat has several (each producer writes its channel slice in place).
struct TensorRef {
  uint32_t h = 1, w = 1, c = 1;
  std::vector<uint32_t> producers;
};

class NetworkBuilder {
 public:
  NetworkBuilder(uint32_t batch, DType dtype) : batch_(batch), dtype_(dtype) {}

  static TensorRef input(uint32_t h, uint32_t w, uint32_t c) { return TensorRef{h, w, c, {}}; }

  // Square kernel, symmetric padding, BN folded into the weights; activation fused on the output.
  TensorRef conv(const std::string& name, const TensorRef& in, uint32_t out_c, uint32_t kernel,
                 uint32_t stride, uint32_t pad, uint32_t groups, Activation activation);
  TensorRef maxpool(const std::string& name, const TensorRef& in, uint32_t kernel, uint32_t stride,
                    uint32_t pad);
  TensorRef global_avgpool(const std::string& name, const TensorRef& in);
  // Flattens the input (h*w*c features) into out_features.
  TensorRef fc(const std::string& name, const TensorRef& in, uint32_t out_features, Activation activation);
  // Residual add of two same-shaped tensors; activation (e.g. ResNet's post-add ReLU) fused on the output.
  TensorRef add(const std::string& name, const TensorRef& a, const TensorRef& b, Activation activation);
  // Channel-wise gating (squeeze-and-excitation): x * gate, gate a 1x1xC tensor broadcast over x.
  TensorRef scale(const std::string& name, const TensorRef& x, const TensorRef& gate);
  // Nearest-neighbour upsample: a copy that writes the scale_factor^2 larger tensor.
  TensorRef upsample(const std::string& name, const TensorRef& in, uint32_t scale_factor);
  // Channel concat emits no operator: producers write into slices of one buffer, and the consumer reads
  // the whole tensor (its input bytes count every channel), as inference compilers lay it out.
  static TensorRef concat(const std::vector<TensorRef>& parts);

  std::vector<Operator> take_ops() { return std::move(ops_); }

 private:
  TensorRef push(Operator op, std::vector<uint32_t> inputs, uint32_t out_h, uint32_t out_w, uint32_t out_c);

  uint32_t batch_;
  DType dtype_;
  std::vector<Operator> ops_;
};

}  // namespace npusim
