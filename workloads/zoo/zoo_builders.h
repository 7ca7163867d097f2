// The zoo's per-model builders (one .cpp each) and the parameters they share; model_zoo.cpp tables them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/ir/operator.h"
#include "workloads/workload_spec.h"

namespace npusim {

// Every zoo workload takes these; model-specific keys are appended per builder.
struct ZooCommonParams {
  uint32_t batch = 1;
  DType dtype = DType::kInt8;
};

// Rejects keys outside {batch, dtype} + extra_keys, then reads batch and dtype.
ZooCommonParams read_common_params(const WorkloadSpec& spec, DType default_dtype,
                                   const std::vector<std::string>& extra_keys);
// Reads `resolution` (square input side in pixels) and checks it is a positive multiple of multiple_px.
uint32_t read_resolution_px(const WorkloadSpec& spec, uint32_t default_px, uint32_t multiple_px);
// An input image's extent in pixels: `resolution` (square), or `height` and `width` (re-ID crops are
// 256 x 128), each a positive multiple of multiple_px; the two forms exclude each other.
struct InputExtentPx {
  uint32_t height_px = 224;
  uint32_t width_px = 224;
};
InputExtentPx read_input_extent_px(const WorkloadSpec& spec, uint32_t default_px, uint32_t multiple_px);
// Names the workload after the spec and records the canonical spec as its source ("zoo:resnet50:batch=4").
Workload make_zoo_workload(const WorkloadSpec& spec, std::vector<Operator> ops);

Workload build_resnet50(const WorkloadSpec& spec, DType default_dtype);
Workload build_mobilenetv2(const WorkloadSpec& spec, DType default_dtype);
Workload build_yolov5s(const WorkloadSpec& spec, DType default_dtype);
Workload build_yolov8n(const WorkloadSpec& spec, DType default_dtype);
Workload build_yolov8s(const WorkloadSpec& spec, DType default_dtype);
Workload build_resnet18(const WorkloadSpec& spec, DType default_dtype);
Workload build_mobilenetv3_large(const WorkloadSpec& spec, DType default_dtype);
Workload build_openvla_7b(const WorkloadSpec& spec, DType default_dtype);
Workload build_bert_base(const WorkloadSpec& spec, DType default_dtype);
Workload build_bert_large(const WorkloadSpec& spec, DType default_dtype);
Workload build_gpt2(const WorkloadSpec& spec, DType default_dtype);
// Llama-2-7B, Llama-3.1-8B/70B/405B, Mixtral-8x7B and Qwen3-30B-A3B: one builder, defaults by spec.name.
Workload build_llama_family(const WorkloadSpec& spec, DType default_dtype);
Workload build_vit_b16(const WorkloadSpec& spec, DType default_dtype);
Workload build_gemm(const WorkloadSpec& spec, DType default_dtype);    // weights as operand B
Workload build_matmul(const WorkloadSpec& spec, DType default_dtype);  // both operands activations
Workload build_conv(const WorkloadSpec& spec, DType default_dtype);
Workload build_fc(const WorkloadSpec& spec, DType default_dtype);

}  // namespace npusim
