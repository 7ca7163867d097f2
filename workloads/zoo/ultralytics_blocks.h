// Building blocks the Ultralytics YOLO graphs (yolov5s, yolov8n/s) share.
#pragma once

#include <cstdint>
#include <string>

#include "workloads/zoo/network_builder.h"

namespace npusim::ultralytics {

// Repeats scaled by depth_multiple 0.33: max(round(n * 0.33), 1), so 3 -> 1, 6 -> 2, 9 -> 3.
inline uint32_t depth(uint32_t base_repeats) {
  const uint32_t repeats = (base_repeats * 33 + 50) / 100;
  return repeats == 0 ? 1 : repeats;
}

// Ultralytics `Conv`: conv (no bias) + BN (folded) + SiLU, "same" padding k/2.
inline TensorRef conv(NetworkBuilder& net, const std::string& name, const TensorRef& in, uint32_t out_c,
                      uint32_t kernel, uint32_t stride) {
  return net.conv(name, in, out_c, kernel, stride, kernel / 2, 1, Activation::kSilu);
}

// SPPF: three chained 5x5/1 max pools stand in for SPP's parallel 5/9/13 pools at lower cost.
inline TensorRef sppf(NetworkBuilder& net, const std::string& name, const TensorRef& in, uint32_t out_c) {
  const TensorRef x = conv(net, name + ".cv1.conv", in, in.c / 2, 1, 1);
  const TensorRef y1 = net.maxpool(name + ".m.0", x, 5, 1, 2);
  const TensorRef y2 = net.maxpool(name + ".m.1", y1, 5, 1, 2);
  const TensorRef y3 = net.maxpool(name + ".m.2", y2, 5, 1, 2);
  return conv(net, name + ".cv2.conv", NetworkBuilder::concat({x, y1, y2, y3}), out_c, 1, 1);
}

}  // namespace npusim::ultralytics
