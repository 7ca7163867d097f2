// YOLOv8n and YOLOv8s (Ultralytics yolov8.yaml, v8.0): CSP backbone with C2f blocks and SPPF, PANet neck
// without the v5 1x1 lateral convs, and the anchor-free decoupled Detect head (box DFL + class branches).
#include <algorithm>
#include <string>
#include <vector>

#include "workloads/zoo/ultralytics_blocks.h"
#include "workloads/zoo/network_builder.h"
#include "workloads/zoo/zoo_builders.h"

namespace npusim {
namespace {

using ultralytics::conv;
using ultralytics::depth;
using ultralytics::sppf;

// yolov8.yaml `scales`: n = [0.33, 0.25, 1024], s = [0.33, 0.50, 1024] (depth, width, max channels).
struct Yolov8Scale {
  uint32_t width_pct;
};

// make_divisible(min(c, 1024) * width, 8)
uint32_t width(const Yolov8Scale& scale, uint32_t base_channels) {
  return (base_channels * scale.width_pct / 100 + 7) / 8 * 8;
}

// C2f: a 1x1 conv to 2c split in halves; n bottlenecks (3x3, 3x3 at c) chain on the second half; every
// piece (both halves and each bottleneck output) is concatenated into a 1x1 fuse conv.
TensorRef c2f(NetworkBuilder& net, const std::string& name, const TensorRef& in, uint32_t out_c,
              uint32_t repeats, bool shortcut) {
  const uint32_t hidden_c = out_c / 2;
  const TensorRef both = conv(net, name + ".cv1.conv", in, 2 * hidden_c, 1, 1);
  // chunk(2): each half is a channel slice of cv1's output, no operator.
  TensorRef last{both.h, both.w, hidden_c, both.producers};
  std::vector<TensorRef> pieces{both};
  for (uint32_t i = 0; i < repeats; ++i) {
    const std::string block = name + ".m." + std::to_string(i);
    const TensorRef a = conv(net, block + ".cv1.conv", last, hidden_c, 3, 1);
    const TensorRef b = conv(net, block + ".cv2.conv", a, hidden_c, 3, 1);
    last = shortcut ? net.add(block + ".add", last, b, Activation::kNone) : b;
    pieces.push_back(last);
  }
  return conv(net, name + ".cv2.conv", NetworkBuilder::concat(pieces), out_c, 1, 1);
}

// Detect (nc 80, reg_max 16): per scale a box branch (two 3x3 Conv at c2, a biased 1x1 to 4*16) and a
// class branch (two 3x3 Conv at c3, a biased 1x1 to 80, sigmoid at inference); c2 = max(16, ch0/4, 64),
// c3 = max(ch0, 80). The DFL's fixed 1x1 (16 weights) over the 8400 anchors is left out: 0.1 MMAC.
void detect(NetworkBuilder& net, const TensorRef (&heads)[3]) {
  constexpr uint32_t kClasses = 80, kRegMax = 16;
  const uint32_t box_c = std::max({16u, heads[0].c / 4, 4 * kRegMax});
  const uint32_t cls_c = std::max(heads[0].c, kClasses);
  for (uint32_t i = 0; i < 3; ++i) {
    const std::string box = "model.22.cv2." + std::to_string(i);
    TensorRef x = conv(net, box + ".0.conv", heads[i], box_c, 3, 1);
    x = conv(net, box + ".1.conv", x, box_c, 3, 1);
    net.conv(box + ".2", x, 4 * kRegMax, 1, 1, 0, 1, Activation::kNone);
    const std::string cls = "model.22.cv3." + std::to_string(i);
    x = conv(net, cls + ".0.conv", heads[i], cls_c, 3, 1);
    x = conv(net, cls + ".1.conv", x, cls_c, 3, 1);
    net.conv(cls + ".2", x, kClasses, 1, 1, 0, 1, Activation::kSigmoid);
  }
}

Workload build_yolov8(const WorkloadSpec& spec, DType default_dtype, const Yolov8Scale& s) {
  const ZooCommonParams common = read_common_params(spec, default_dtype, {"resolution"});
  const uint32_t resolution_px = read_resolution_px(spec, 640, 32);  // P5 has stride 32
  NetworkBuilder net(common.batch, common.dtype);

  // Backbone; comments give the yaml layer index and output stride.
  TensorRef x = NetworkBuilder::input(resolution_px, resolution_px, 3);
  x = conv(net, "model.0.conv", x, width(s, 64), 3, 2);   // 0: P1/2
  x = conv(net, "model.1.conv", x, width(s, 128), 3, 2);  // 1: P2/4
  x = c2f(net, "model.2", x, width(s, 128), depth(3), true);
  x = conv(net, "model.3.conv", x, width(s, 256), 3, 2);  // 3: P3/8
  const TensorRef p3 = c2f(net, "model.4", x, width(s, 256), depth(6), true);
  x = conv(net, "model.5.conv", p3, width(s, 512), 3, 2);  // 5: P4/16
  const TensorRef p4 = c2f(net, "model.6", x, width(s, 512), depth(6), true);
  x = conv(net, "model.7.conv", p4, width(s, 1024), 3, 2);  // 7: P5/32
  x = c2f(net, "model.8", x, width(s, 1024), depth(3), true);
  const TensorRef p5 = sppf(net, "model.9", x, width(s, 1024));

  // Neck: top-down (nearest 2x upsample, concat), then bottom-up with stride-2 convs.
  x = net.upsample("model.10", p5, 2);
  const TensorRef h12 = c2f(net, "model.12", NetworkBuilder::concat({x, p4}), width(s, 512), depth(3), false);
  x = net.upsample("model.13", h12, 2);
  const TensorRef out_p3 = c2f(net, "model.15", NetworkBuilder::concat({x, p3}), width(s, 256), depth(3), false);
  x = conv(net, "model.16.conv", out_p3, width(s, 256), 3, 2);
  const TensorRef out_p4 = c2f(net, "model.18", NetworkBuilder::concat({x, h12}), width(s, 512), depth(3), false);
  x = conv(net, "model.19.conv", out_p4, width(s, 512), 3, 2);
  const TensorRef out_p5 = c2f(net, "model.21", NetworkBuilder::concat({x, p5}), width(s, 1024), depth(3), false);
  detect(net, {out_p3, out_p4, out_p5});
  return make_zoo_workload(spec, net.take_ops());
}

}  // namespace

Workload build_yolov8n(const WorkloadSpec& spec, DType default_dtype) {
  return build_yolov8(spec, default_dtype, Yolov8Scale{25});
}
Workload build_yolov8s(const WorkloadSpec& spec, DType default_dtype) {
  return build_yolov8(spec, default_dtype, Yolov8Scale{50});
}

}  // namespace npusim
