// Building blocks the Ultralytics YOLO graphs (yolov5s, yolov8n/s) share.
#pragma once

#include <cstdint>
#include <string>

#include "workloads/zoo/network_builder.h"

namespace npusim {

// Repeats scaled by depth_multiple 0.33: max(round(n * 0.33), 1), so 3 -> 1, 6 -> 2, 9 -> 3.
inline uint32_t ultralytics_depth(uint32_t base_repeats) {
  const uint32_t repeats = (base_repeats * 33 + 50) / 100;
  return repeats == 0 ? 1 : repeats;
}

// Ultralytics `Conv`: conv (no bias) + BN (folded) + SiLU, "same" padding k/2.
inline TensorRef ultralytics_conv(NetworkBuilder& net, const std::string& name, const TensorRef& in, uint32_t out_c,
                                  uint32_t kernel, uint32_t stride) {
  return net.conv(name, in, out_c, kernel, stride, kernel / 2, 1, Activation::kSilu);
}

}  // namespace npusim
