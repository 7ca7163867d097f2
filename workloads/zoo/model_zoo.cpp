// The zoo table: names, descriptions and builders, looked up by name.
#include "workloads/zoo/model_zoo.h"

#include <array>

#include "arch/spec/input_error.h"
#include "workloads/zoo/zoo_builders.h"

namespace npusim {
namespace {

using ZooBuilder = Workload (*)(const WorkloadSpec&, DType);

struct ZooTableRow {
  const char* name;
  const char* description;
  ZooBuilder build;
};

// A closed table instead of self-registration: nothing for the linker to drop, and a fixed listing order.
constexpr std::array<ZooTableRow, 13> kZooTable{{
    {"resnet50", "ResNet-50 v1.5 (torchvision), ~4.09 GMAC at 224; params: batch, dtype, resolution",
     &build_resnet50},
    {"mobilenetv2", "MobileNetV2 1.0 (torchvision), ~0.30 GMAC at 224; params: batch, dtype, resolution",
     &build_mobilenetv2},
    {"yolov5s", "YOLOv5s v6.0 (Ultralytics), ~8.2 GMAC at 640; params: batch, dtype, resolution",
     &build_yolov5s},
    {"bert-base",
     "BERT-base encoder (HF BertModel, 110M params), seq 128 by default; params: batch, dtype, seq, layers, "
     "heads, attention (fused|unfused)",
     &build_bert_base},
    {"bert-large",
     "BERT-large encoder (HF BertModel, 335M params), seq 128 by default; params: batch, dtype, seq, layers, "
     "heads, attention",
     &build_bert_large},
    {"gpt2",
     "GPT-2 small decoder (124M params), seq 128 by default, LM head on the last token; params: batch, dtype, "
     "seq, past, layers, heads, kv_heads, attention",
     &build_gpt2},
    {"llama2-7b",
     "Llama-2-7B decoder (6.74B params), seq 512 by default; params: batch, dtype, seq, past, layers, heads, "
     "kv_heads, attention",
     &build_llama2_7b},
    {"llama3.1-8b",
     "Llama-3.1-8B decoder (8.03B params, GQA 32/8 heads), seq 512 by default; params: batch, dtype, seq, past, "
     "layers, heads, kv_heads, attention",
     &build_llama31_8b},
    {"vit-b16", "ViT-B/16 at 224 (timm, 86.6M params, 197 tokens); params: batch, dtype, layers, heads, attention",
     &build_vit_b16},
    {"gemm", "batched GEMM with B as weights; params: m, n, k (required), batch, dtype", &build_gemm},
    {"matmul", "batched matmul of two activations; params: m, n, k (required), batch, dtype", &build_matmul},
    {"conv", "one conv2d; params: h, w, c, k, r (required), s, stride, pad, groups, batch, dtype",
     &build_conv},
    {"fc", "one fully connected layer; params: in, out (required), batch, dtype", &build_fc},
}};

const ZooTableRow* find_row(const std::string& name) {
  for (const auto& row : kZooTable) {
    if (name == row.name) return &row;
  }
  return nullptr;
}

}  // namespace

const std::vector<ZooEntry>& zoo_entries() {
  static const std::vector<ZooEntry> entries = [] {
    std::vector<ZooEntry> out;
    for (const auto& row : kZooTable) out.push_back(ZooEntry{row.name, row.description});
    return out;
  }();
  return entries;
}

bool is_zoo_workload(const std::string& name) { return find_row(name) != nullptr; }

Workload build_zoo_workload(const WorkloadSpec& spec, DType default_dtype) {
  const ZooTableRow* row = find_row(spec.name);
  if (row == nullptr) {
    std::string known;
    for (const auto& entry : kZooTable) known += (known.empty() ? "" : ", ") + std::string(entry.name);
    throw InputError(kWorkloadSpecFile, spec.name, "unknown workload; known: " + known);
  }
  return row->build(spec, default_dtype);
}

}  // namespace npusim
