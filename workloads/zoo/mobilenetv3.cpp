// MobileNetV3-Large 1.0 in torchvision's layout (Howard et al. 2019): inverted residuals with 3x3/5x5
// depthwise convs, squeeze-and-excitation on some blocks, ReLU or hard-swish, a 960 -> 1280 -> 1000
// classifier. Takes a non-square input (height, width) for re-ID crops (256 x 128).
#include <array>
#include <string>

#include "workloads/zoo/network_builder.h"
#include "workloads/zoo/zoo_builders.h"

namespace npusim {
namespace {

// torchvision's bneck_conf row: kernel, expanded channels, output channels, SE, hard-swish, stride.
struct BlockRow {
  uint32_t kernel, expanded_c, out_c;
  bool squeeze_excite, hardswish;
  uint32_t stride;
};

// _make_divisible(v, 8): round to the nearest multiple of 8, never below 90% of v.
uint32_t make_divisible(uint32_t v) {
  uint32_t rounded = (v + 4) / 8 * 8;
  if (rounded < 8) rounded = 8;
  if (10 * rounded < 9 * v) rounded += 8;
  return rounded;
}

// SE: global average pool, 1x1 conv (biased, ReLU) to expanded/4, 1x1 conv (biased, hard-sigmoid)
// back, channel-wise scale. The 1x1 convs on a 1x1 map are fully connected layers here.
TensorRef squeeze_excite(NetworkBuilder& net, const std::string& name, const TensorRef& in) {
  const TensorRef pooled = net.global_avgpool(name + ".avgpool", in);
  const TensorRef squeezed = net.fc(name + ".fc1", pooled, make_divisible(in.c / 4), Activation::kRelu);
  const TensorRef gate = net.fc(name + ".fc2", squeezed, in.c, Activation::kHardSigmoid);
  return net.scale(name + ".scale", in, gate);
}

TensorRef inverted_residual(NetworkBuilder& net, const std::string& name, const TensorRef& in, const BlockRow& row) {
  const Activation act = row.hardswish ? Activation::kHardSwish : Activation::kRelu;
  TensorRef x = in;
  uint32_t layer = 0;  // torchvision numbers the sub-layers of `block` from 0
  if (row.expanded_c != in.c) {
    x = net.conv(name + ".block." + std::to_string(layer++), x, row.expanded_c, 1, 1, 0, 1, act);
  }
  x = net.conv(name + ".block." + std::to_string(layer++), x, row.expanded_c, row.kernel, row.stride,
               row.kernel / 2, row.expanded_c, act);
  if (row.squeeze_excite) x = squeeze_excite(net, name + ".block." + std::to_string(layer++), x);
  x = net.conv(name + ".block." + std::to_string(layer), x, row.out_c, 1, 1, 0, 1, Activation::kNone);
  if (row.stride == 1 && in.c == row.out_c) x = net.add(name + ".add", x, in, Activation::kNone);
  return x;
}

}  // namespace

Workload build_mobilenetv3_large(const WorkloadSpec& spec, DType default_dtype) {
  const ZooCommonParams common = read_common_params(spec, default_dtype, {"resolution", "height", "width"});
  const InputExtentPx extent = read_input_extent_px(spec, 224, 32);
  NetworkBuilder net(common.batch, common.dtype);

  TensorRef x = NetworkBuilder::input(extent.height_px, extent.width_px, 3);
  x = net.conv("features.0", x, 16, 3, 2, 1, 1, Activation::kHardSwish);
  // torchvision mobilenet_v3_large's table (input channels follow from the previous row).
  constexpr std::array<BlockRow, 15> kRows{{{3, 16, 16, false, false, 1},
                                            {3, 64, 24, false, false, 2},
                                            {3, 72, 24, false, false, 1},
                                            {5, 72, 40, true, false, 2},
                                            {5, 120, 40, true, false, 1},
                                            {5, 120, 40, true, false, 1},
                                            {3, 240, 80, false, true, 2},
                                            {3, 200, 80, false, true, 1},
                                            {3, 184, 80, false, true, 1},
                                            {3, 184, 80, false, true, 1},
                                            {3, 480, 112, true, true, 1},
                                            {3, 672, 112, true, true, 1},
                                            {5, 672, 160, true, true, 2},
                                            {5, 960, 160, true, true, 1},
                                            {5, 960, 160, true, true, 1}}};
  uint32_t feature = 1;
  for (const BlockRow& row : kRows) x = inverted_residual(net, "features." + std::to_string(feature++), x, row);
  x = net.conv("features." + std::to_string(feature), x, 960, 1, 1, 0, 1, Activation::kHardSwish);
  x = net.global_avgpool("avgpool", x);
  x = net.fc("classifier.0", x, 1280, Activation::kHardSwish);
  net.fc("classifier.3", x, 1000, Activation::kNone);
  return make_zoo_workload(spec, net.take_ops());
}

}  // namespace npusim
