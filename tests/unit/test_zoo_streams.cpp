// The stream-serving models of the zoo (issue 15): YOLOv8n/s, ResNet-18 and MobileNetV3-Large (also at
// re-ID crops of 256 x 128) and OpenVLA-7B, checked against the published MAC and parameter counts.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "arch/spec/input_error.h"
#include "tests/unit/zoo_fixtures.h"
#include "workloads/zoo/model_zoo.h"

namespace {

using namespace npusim_test;
using npusim::ConvParams;
using npusim::DType;
using npusim::InputError;
using npusim::OpKind;
using npusim::Workload;

// Output features of the fully connected layers: one bias each (torchvision's Linear and SE convs).
uint64_t fc_outputs(const Workload& w) {
  uint64_t features = 0;
  for (const auto& op : w.ops)
    if (op.kind == OpKind::kFullyConnected) features += std::get<npusim::MatMulParams>(op.params).n;
  return features;
}

uint64_t fc_macs(const Workload& w) {
  uint64_t macs = 0;
  for (const auto& op : w.ops)
    if (op.kind == OpKind::kFullyConnected) macs += npusim::op_macs(op);
  return macs;
}

}  // namespace

TEST_CASE("zoo: yolov8n and yolov8s match Ultralytics' GFLOPs and fused parameter counts") {
  // Ultralytics docs (docs.ultralytics.com/models/yolov8, detection table at 640): YOLOv8n 3.2 M params,
  // 8.7 GFLOPs; YOLOv8s 11.2 M, 28.6 GFLOPs; FLOPs = 2 x MACs (thop). `model.fuse()` summaries print
  // 3,151,904 and 11,156,544 parameters: conv weights + one bias per output channel (BN folded) + the
  // DFL's 16 fixed weights, which this model leaves out (0.1 MMAC). Tolerance: 2% on GFLOPs (the
  // published figures are rounded to 0.1), exact on parameters.
  const Workload n = build_zoo("yolov8n");
  const Workload s = build_zoo("yolov8s");
  CHECK(2.0 * static_cast<double>(npusim::workload_macs(n)) / 1e9 == doctest::Approx(8.7).epsilon(0.02));
  CHECK(2.0 * static_cast<double>(npusim::workload_macs(s)) / 1e9 == doctest::Approx(28.6).epsilon(0.02));
  CHECK(npusim::workload_parameters(n) + conv_output_channels(n) + 16 == 3151904ull);
  CHECK(npusim::workload_parameters(s) + conv_output_channels(s) + 16 == 11156544ull);
  CHECK(relative_error(static_cast<double>(npusim::workload_parameters(n) + conv_output_channels(n)), 3.2e6) < 0.02);
  CHECK(std::get<ConvParams>(n.ops.back().params).out_c == 80);  // the P5 class branch
  CHECK(std::count_if(n.ops.begin(), n.ops.end(), [](const auto& op) { return op.kind == OpKind::kMaxPool; }) == 3);
  // C2f's split: the first bottleneck of model.2 reads half of cv1's 32 channels (v8n: 128 x 0.25).
  CHECK(std::get<ConvParams>(n.ops[3].params).in_c == 16);
  // 320 halves every feature map side: a quarter of the MACs.
  CHECK(npusim::workload_macs(build_zoo("yolov8n:resolution=320")) * 4 == npusim::workload_macs(n));
}

TEST_CASE("zoo: resnet18 and mobilenetv3-large match torchvision at 224 and scale to 256x128 re-ID crops") {
  // torchvision (0.14, counted with forward hooks on Conv2d and Linear): resnet18 11,689,512 parameters,
  // 1,814,073,344 MACs at 224 ("1.81 GFLOPS" in its docs); mobilenet_v3_large 5,483,032 parameters,
  // 216,589,760 MACs ("0.22 GFLOPS"). Exact: tolerance zero.
  const Workload r18 = build_zoo("resnet18");
  CHECK(npusim::workload_macs(r18) == 1814073344ull);
  // Parameters: weights + FC bias + BN gamma and beta per conv output channel.
  CHECK(npusim::workload_parameters(r18) + fc_outputs(r18) + 2 * conv_output_channels(r18) == 11689512ull);
  const Workload v3 = build_zoo("mobilenetv3-large");
  CHECK(npusim::workload_macs(v3) == 216589760ull);
  // SE's 1x1 convs are fully connected layers here: biases via fc_outputs, like the classifier's.
  CHECK(npusim::workload_parameters(v3) + fc_outputs(v3) + 2 * conv_output_channels(v3) == 5483032ull);

  // 256 x 128 (height x width): torchvision at that input counts 1,184,878,592 and 142,839,680 MACs.
  // ResNet-18's conv maps all divide evenly (224 and 256, 128 by 32), so its conv MACs scale by
  // 256*128 / 224^2 = 32768 / 50176 exactly, the FC not at all.
  const Workload r18_reid = build_zoo("resnet18:height=256,width=128");
  CHECK(npusim::workload_macs(r18_reid) == 1184878592ull);
  CHECK((npusim::workload_macs(r18_reid) - fc_macs(r18_reid)) * 50176 == (npusim::workload_macs(r18) - fc_macs(r18)) * 32768);
  CHECK(npusim::workload_macs(build_zoo("mobilenetv3-large:height=256,width=128")) == 142839680ull);
  CHECK(npusim::workload_parameters(r18_reid) == npusim::workload_parameters(r18));
  check_rejected_specs({
      {"resnet18:resolution=224,height=256",
       "resnet18.resolution: expected either resolution or height and width"},
      {"mobilenetv3-large:width=100", "mobilenetv3-large.width: expected a multiple of 32"},
  });
}

TEST_CASE("zoo: openvla-7b matches the published 7.5B parameters and decodes 7 action tokens") {
  // openvla/openvla-7b (HF model card: 7.54B parameters; Kim et al. 2024: "7B", Prismatic DINOv2 +
  // SigLIP + Llama 2). Modelled: Llama-2-7B with the 32064-token vocabulary 6,738,939,904; DINOv2
  // ViT-L/14 and SigLIP SO400M/14 without their last block (Prismatic reads the second-to-last) and
  // without SigLIP's unused attention-pool head; the 2176 -> 8704 -> 4096 -> 4096 projector 71,385,600.
  // The unrun parts are ~28 M (0.4%); the decode passes repeat the 65 RMSNorm gammas of 4096 (tied
  // weights count once, norms do not): 6 x 65 x 4096 = 1,597,440. Tolerance 1%.
  const Workload vla = build_zoo("openvla-7b");
  const double params = static_cast<double>(npusim::workload_parameters(vla) - 6ull * 65 * 4096);
  CHECK(relative_error(params, 7.54e9) < 0.01);
  // One control step: prefill over 256 image + 24 prompt tokens, then 6 decode passes (the 7th action
  // token comes from the 6th). Llama MACs per token are its GEMV weights: 32 x (4 x 4096^2 + 3 x 4096
  // x 11008) = 6,476,005,376 per token, the head (4096 x 32064) only on the last position of each pass.
  const uint64_t llama_token_macs = 32 * (4ull * 4096 * 4096 + 3ull * 4096 * 11008);
  CHECK(llama_token_macs == 6476005376ull);
  const uint64_t head_macs = 4096ull * 32064;
  uint64_t attention_macs = 0;
  for (const auto& op : vla.ops)
    if (op.kind == OpKind::kAttention && op.name.rfind("llm.", 0) == 0) attention_macs += npusim::op_macs(op);
  uint64_t llm_gemm_macs = 0;
  for (const auto& op : vla.ops)
    if (op.name.rfind("llm.", 0) == 0 && op.kind != OpKind::kAttention) llm_gemm_macs += npusim::op_macs(op);
  CHECK(llm_gemm_macs == (280 + 6) * llama_token_macs + 7 * head_macs);
  CHECK(attention_macs > 0);
  // Seven heads: the prefill's and six decode passes'.
  CHECK(std::count_if(vla.ops.begin(), vla.ops.end(), [](const auto& op) { return op.name.find("lm_head") != std::string::npos; }) == 7);
  const Workload three = build_zoo("openvla-7b:action_tokens=3,prompt_tokens=16");
  CHECK(npusim::workload_parameters(three) - 2ull * 65 * 4096 == npusim::workload_parameters(vla) - 6ull * 65 * 4096);
}
