// MobileNetV2 1.0 in torchvision's layout: inverted residuals with depthwise 3x3 convs and ReLU6.
#include <array>
#include <string>

#include "workloads/zoo/network_builder.h"
#include "workloads/zoo/zoo_builders.h"

namespace npusim {
namespace {

// Expand (1x1, skipped when t == 1), depthwise 3x3 carrying the stride, then a linear 1x1 projection:
// the projection has no activation, so the residual add has none either.
TensorRef inverted_residual(NetworkBuilder& net, const std::string& name, const TensorRef& in,
                            uint32_t expand_t, uint32_t out_c, uint32_t stride) {
  const uint32_t hidden_c = in.c * expand_t;
  TensorRef x = in;
  uint32_t layer = 0;  // torchvision numbers the sub-layers of `conv` from 0
  if (expand_t != 1) {
    x = net.conv(name + ".conv." + std::to_string(layer++), x, hidden_c, 1, 1, 0, 1, Activation::kRelu6);
  }
  x = net.conv(name + ".conv." + std::to_string(layer++), x, hidden_c, 3, stride, 1, hidden_c,
               Activation::kRelu6);
  x = net.conv(name + ".conv." + std::to_string(layer), x, out_c, 1, 1, 0, 1, Activation::kNone);
  if (stride == 1 && in.c == out_c) x = net.add(name + ".add", x, in, Activation::kNone);
  return x;
}

}  // namespace

Workload build_mobilenetv2(const WorkloadSpec& spec, DType default_dtype) {
  const ZooCommonParams common = read_common_params(spec, default_dtype, {"resolution"});
  const uint32_t resolution_px = read_resolution_px(spec, 224, 32);
  NetworkBuilder net(common.batch, common.dtype);

  TensorRef x = NetworkBuilder::input(resolution_px, resolution_px, 3);
  x = net.conv("features.0", x, 32, 3, 2, 1, 1, Activation::kRelu6);

  // The paper's (t, c, n, s) table: expansion, output channels, repeats, stride of the first repeat.
  struct Stage {
    uint32_t expand_t, out_c, repeats, stride;
  };
  constexpr std::array<Stage, 7> kStages{{{1, 16, 1, 1},
                                          {6, 24, 2, 2},
                                          {6, 32, 3, 2},
                                          {6, 64, 4, 2},
                                          {6, 96, 3, 1},
                                          {6, 160, 3, 2},
                                          {6, 320, 1, 1}}};
  uint32_t feature = 1;
  for (const Stage& stage : kStages) {
    for (uint32_t repeat = 0; repeat < stage.repeats; ++repeat) {
      x = inverted_residual(net, "features." + std::to_string(feature++), x, stage.expand_t, stage.out_c,
                            repeat == 0 ? stage.stride : 1);
    }
  }
  x = net.conv("features." + std::to_string(feature), x, 1280, 1, 1, 0, 1, Activation::kRelu6);
  x = net.global_avgpool("avgpool", x);
  net.fc("classifier.1", x, 1000, Activation::kNone);
  return make_zoo_workload(spec, net.take_ops());
}

}  // namespace npusim
