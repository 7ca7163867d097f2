// ResNet-50 v1.5 in torchvision's layout: the stride of a downsampling bottleneck sits on its 3x3 conv.
#include <array>
#include <string>

#include "workloads/zoo/network_builder.h"
#include "workloads/zoo/zoo_builders.h"

namespace npusim {
namespace {

// BN is folded into the convs. ReLU fuses into conv1/conv2; conv3 stays linear because ReLU follows the
// residual add, so it fuses into the add.
TensorRef bottleneck(NetworkBuilder& net, const std::string& name, const TensorRef& in, uint32_t width,
                     uint32_t stride) {
  const uint32_t out_c = width * 4;  // bottleneck expansion
  const TensorRef a = net.conv(name + ".conv1", in, width, 1, 1, 0, 1, Activation::kRelu);
  const TensorRef b = net.conv(name + ".conv2", a, width, 3, stride, 1, 1, Activation::kRelu);
  const TensorRef c = net.conv(name + ".conv3", b, out_c, 1, 1, 0, 1, Activation::kNone);
  const bool project = stride != 1 || in.c != out_c;
  const TensorRef shortcut =
      project ? net.conv(name + ".downsample.0", in, out_c, 1, stride, 0, 1, Activation::kNone) : in;
  return net.add(name + ".add", c, shortcut, Activation::kRelu);
}

}  // namespace

Workload build_resnet50(const WorkloadSpec& spec, DType default_dtype) {
  const ZooCommonParams common = read_common_params(spec, default_dtype, {"resolution"});
  const uint32_t resolution_px = read_resolution_px(spec, 224, 32);
  NetworkBuilder net(common.batch, common.dtype);

  TensorRef x = NetworkBuilder::input(resolution_px, resolution_px, 3);
  x = net.conv("conv1", x, 64, 7, 2, 3, 1, Activation::kRelu);
  x = net.maxpool("maxpool", x, 3, 2, 1);

  struct Stage {
    uint32_t blocks, width, stride;
  };
  constexpr std::array<Stage, 4> kStages{{{3, 64, 1}, {4, 128, 2}, {6, 256, 2}, {3, 512, 2}}};
  for (size_t stage = 0; stage < kStages.size(); ++stage) {
    for (uint32_t block = 0; block < kStages[stage].blocks; ++block) {
      const std::string name = "layer" + std::to_string(stage + 1) + "." + std::to_string(block);
      x = bottleneck(net, name, x, kStages[stage].width, block == 0 ? kStages[stage].stride : 1);
    }
  }
  x = net.global_avgpool("avgpool", x);
  net.fc("fc", x, 1000, Activation::kNone);
  return make_zoo_workload(spec, net.take_ops());
}

}  // namespace npusim
