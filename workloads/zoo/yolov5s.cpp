// YOLOv5s (Ultralytics v6.0 yolov5s.yaml): CSP backbone with C3 blocks and SPPF, PANet neck, Detect head.
#include <string>

#include "workloads/zoo/ultralytics_blocks.h"
#include "workloads/zoo/network_builder.h"
#include "workloads/zoo/zoo_builders.h"

namespace npusim {
namespace {

using ultralytics::conv;
using ultralytics::depth;
using ultralytics::sppf;

// yolov5s.yaml scales the base (yolov5l) graph: width_multiple 0.50, depth_multiple 0.33.
// make_divisible(c * 0.5, 8)
uint32_t width(uint32_t base_channels) { return (base_channels / 2 + 7) / 8 * 8; }

// C3: two 1x1 branches, n bottlenecks (1x1 then 3x3 at c_ = out_c/2) on the first, concat, 1x1 fuse.
TensorRef c3(NetworkBuilder& net, const std::string& name, const TensorRef& in, uint32_t out_c,
             uint32_t repeats, bool shortcut) {
  const uint32_t hidden_c = out_c / 2;
  TensorRef main = conv(net, name + ".cv1.conv", in, hidden_c, 1, 1);
  for (uint32_t i = 0; i < repeats; ++i) {
    const std::string block = name + ".m." + std::to_string(i);
    const TensorRef a = conv(net, block + ".cv1.conv", main, hidden_c, 1, 1);
    const TensorRef b = conv(net, block + ".cv2.conv", a, hidden_c, 3, 1);
    main = shortcut ? net.add(block + ".add", main, b, Activation::kNone) : b;
  }
  const TensorRef side = conv(net, name + ".cv2.conv", in, hidden_c, 1, 1);
  return conv(net, name + ".cv3.conv", NetworkBuilder::concat({main, side}), out_c, 1, 1);
}

}  // namespace

Workload build_yolov5s(const WorkloadSpec& spec, DType default_dtype) {
  const ZooCommonParams common = read_common_params(spec, default_dtype, {"resolution"});
  const uint32_t resolution_px = read_resolution_px(spec, 640, 32);  // P5 has stride 32
  NetworkBuilder net(common.batch, common.dtype);

  // Backbone; comments give the yaml layer index and output stride.
  TensorRef x = NetworkBuilder::input(resolution_px, resolution_px, 3);
  x = net.conv("model.0.conv", x, width(64), 6, 2, 2, 1, Activation::kSilu);  // 0: P1/2, 6x6 stem
  x = conv(net, "model.1.conv", x, width(128), 3, 2);                         // 1: P2/4
  x = c3(net, "model.2", x, width(128), depth(3), true);
  x = conv(net, "model.3.conv", x, width(256), 3, 2);  // 3: P3/8
  const TensorRef p3 = c3(net, "model.4", x, width(256), depth(6), true);
  x = conv(net, "model.5.conv", p3, width(512), 3, 2);  // 5: P4/16
  const TensorRef p4 = c3(net, "model.6", x, width(512), depth(9), true);
  x = conv(net, "model.7.conv", p4, width(1024), 3, 2);  // 7: P5/32
  x = c3(net, "model.8", x, width(1024), depth(3), true);
  x = sppf(net, "model.9", x, width(1024));

  // PANet neck: top-down with nearest 2x upsampling, then bottom-up with stride-2 convs.
  const TensorRef h10 = conv(net, "model.10.conv", x, width(512), 1, 1);
  x = net.upsample("model.11", h10, 2);
  x = c3(net, "model.13", NetworkBuilder::concat({x, p4}), width(512), depth(3), false);  // 12: concat
  const TensorRef h14 = conv(net, "model.14.conv", x, width(256), 1, 1);
  x = net.upsample("model.15", h14, 2);
  const TensorRef out_p3 = c3(net, "model.17", NetworkBuilder::concat({x, p3}), width(256), depth(3), false);
  x = conv(net, "model.18.conv", out_p3, width(256), 3, 2);
  const TensorRef out_p4 = c3(net, "model.20", NetworkBuilder::concat({x, h14}), width(512), depth(3), false);
  x = conv(net, "model.21.conv", out_p4, width(512), 3, 2);
  const TensorRef out_p5 =
      c3(net, "model.23", NetworkBuilder::concat({x, h10}), width(1024), depth(3), false);

  // Detect: a biased 1x1 conv per scale to anchors * (classes + box + objectness) = 3 * 85; inference
  // applies a sigmoid to every output before box decoding, so it is fused here.
  constexpr uint32_t kDetectChannels = 3 * (80 + 5);
  const TensorRef heads[] = {out_p3, out_p4, out_p5};
  for (uint32_t i = 0; i < 3; ++i) {
    net.conv("model.24.m." + std::to_string(i), heads[i], kDetectChannels, 1, 1, 0, 1, Activation::kSigmoid);
  }
  return make_zoo_workload(spec, net.take_ops());
}

}  // namespace npusim
