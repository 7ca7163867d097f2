// ResNet-18 (torchvision; He et al. 2016) with basic blocks: two 3x3 convs, the stride on the first.
// Takes a non-square input (height, width) for person re-ID crops (256 x 128), where it is the usual
// backbone of the appearance embedding; the 1000-class head stays (a re-ID head is the same size class).
#include <array>
#include <string>

#include "workloads/zoo/network_builder.h"
#include "workloads/zoo/zoo_builders.h"

namespace npusim {
namespace {

// BN folded; ReLU fuses into conv1 and, after the residual add, into the add.
TensorRef basic_block(NetworkBuilder& net, const std::string& name, const TensorRef& in, uint32_t out_c,
                      uint32_t stride) {
  const TensorRef a = net.conv(name + ".conv1", in, out_c, 3, stride, 1, 1, Activation::kRelu);
  const TensorRef b = net.conv(name + ".conv2", a, out_c, 3, 1, 1, 1, Activation::kNone);
  const bool project = stride != 1 || in.c != out_c;
  const TensorRef shortcut =
      project ? net.conv(name + ".downsample.0", in, out_c, 1, stride, 0, 1, Activation::kNone) : in;
  return net.add(name + ".add", b, shortcut, Activation::kRelu);
}

}  // namespace

Workload build_resnet18(const WorkloadSpec& spec, DType default_dtype) {
  const ZooCommonParams common = read_common_params(spec, default_dtype, {"resolution", "height", "width"});
  const InputExtentPx extent = read_input_extent_px(spec, 224, 32);
  NetworkBuilder net(common.batch, common.dtype);

  TensorRef x = NetworkBuilder::input(extent.height_px, extent.width_px, 3);
  x = net.conv("conv1", x, 64, 7, 2, 3, 1, Activation::kRelu);
  x = net.maxpool("maxpool", x, 3, 2, 1);
  constexpr std::array<uint32_t, 4> kStageChannels{64, 128, 256, 512};
  for (size_t stage = 0; stage < kStageChannels.size(); ++stage) {
    for (uint32_t block = 0; block < 2; ++block) {
      const std::string name = "layer" + std::to_string(stage + 1) + "." + std::to_string(block);
      x = basic_block(net, name, x, kStageChannels[stage], block == 0 && stage > 0 ? 2 : 1);
    }
  }
  x = net.global_avgpool("avgpool", x);
  net.fc("fc", x, 1000, Activation::kNone);
  return make_zoo_workload(spec, net.take_ops());
}

}  // namespace npusim
