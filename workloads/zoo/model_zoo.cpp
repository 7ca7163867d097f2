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
constexpr std::array<ZooTableRow, 22> kZooTable{{
    {"resnet50", "ResNet-50 v1.5 (torchvision), ~4.09 GMAC at 224; params: batch, dtype, resolution",
     &build_resnet50},
    {"mobilenetv2", "MobileNetV2 1.0 (torchvision), ~0.30 GMAC at 224; params: batch, dtype, resolution",
     &build_mobilenetv2},
    {"yolov5s", "YOLOv5s v6.0 (Ultralytics), ~8.2 GMAC at 640; params: batch, dtype, resolution",
     &build_yolov5s},
    {"yolov8n", "YOLOv8n (Ultralytics v8.0), ~4.4 GMAC (8.7 GFLOPs) at 640; params: batch, dtype, resolution",
     &build_yolov8n},
    {"yolov8s",
     "YOLOv8s (Ultralytics v8.0), ~14.3 GMAC (28.6 GFLOPs) at 640; params: batch, dtype, resolution",
     &build_yolov8s},
    {"resnet18",
     "ResNet-18 (torchvision), ~1.81 GMAC at 224, re-ID crops with height=256,width=128; params: batch, "
     "dtype, "
     "resolution, height, width",
     &build_resnet18},
    {"mobilenetv3-large",
     "MobileNetV3-Large 1.0 (torchvision), ~0.22 GMAC at 224, re-ID crops with height=256,width=128; params: "
     "batch, dtype, resolution, height, width",
     &build_mobilenetv3_large},
    {"openvla-7b",
     "OpenVLA-7B vision-language-action model (7.5B params): DINOv2 + SigLIP ViTs at 224, Llama-2-7B prefill "
     "of "
     "256 image + prompt tokens, decode to 7 action tokens; params: batch, dtype, prompt_tokens, "
     "action_tokens",
     &build_openvla_7b},
    {"bert-base",
     "BERT-base encoder (HF BertModel, 110M params), seq 128 by default; params: batch, dtype, seq, layers, "
     "hidden, heads, ffn, vocab, attention (fused|unfused)",
     &build_bert_base},
    {"bert-large",
     "BERT-large encoder (HF BertModel, 335M params), seq 128 by default; params: batch, dtype, seq, layers, "
     "hidden, heads, ffn, vocab, attention",
     &build_bert_large},
    {"gpt2",
     "GPT-2 small decoder (124M params), seq 128 by default, LM head on the last token; params: batch, "
     "dtype, "
     "seq, past, layers, hidden, heads, kv_heads, ffn, vocab, attention",
     &build_gpt2},
    {"llama2-7b",
     "Llama-2-7B decoder (6.74B params), seq 512 by default; params: "
     "batch, dtype, seq, past, layers, hidden, heads, kv_heads, head_dim, ffn, vocab, attention, experts, "
     "experts_per_token, expert_ffn, ep, expert_load_pct",
     &build_llama_family},
    {"llama3.1-8b",
     "Llama-3.1-8B decoder (8.03B params, GQA 32/8 heads), seq 512 by default; params: "
     "batch, dtype, seq, past, layers, hidden, heads, kv_heads, head_dim, ffn, vocab, attention, experts, "
     "experts_per_token, expert_ffn, ep, expert_load_pct",
     &build_llama_family},
    {"llama3.1-70b",
     "Llama-3.1-70B decoder (70.6B params, GQA 64/8 heads), seq 512 by default; params: "
     "batch, dtype, seq, past, layers, hidden, heads, kv_heads, head_dim, ffn, vocab, attention, experts, "
     "experts_per_token, expert_ffn, ep, expert_load_pct",
     &build_llama_family},
    {"llama3.1-405b",
     "Llama-3.1-405B decoder (405.9B params, GQA 128/8 heads), seq 512 by default; params: "
     "batch, dtype, seq, past, layers, hidden, heads, kv_heads, head_dim, ffn, vocab, attention, experts, "
     "experts_per_token, expert_ffn, ep, expert_load_pct",
     &build_llama_family},
    {"mixtral-8x7b",
     "Mixtral-8x7B MoE decoder (46.7B params, 12.9B active: 2 of 8 experts), seq 512 by default; params: "
     "batch, dtype, seq, past, layers, hidden, heads, kv_heads, head_dim, vocab, attention, experts, "
     "experts_per_token, expert_ffn, ep, expert_load_pct",
     &build_llama_family},
    {"qwen3-30b-a3b",
     "Qwen3-30B-A3B fine-grained MoE decoder (30.5B params, 3.3B active: 8 of 128 experts), seq 512 by "
     "default; params: "
     "batch, dtype, seq, past, layers, hidden, heads, kv_heads, head_dim, vocab, attention, experts, "
     "experts_per_token, expert_ffn, ep, expert_load_pct",
     &build_llama_family},
    {"vit-b16",
     "ViT-B/16 at 224 (timm, 86.6M params, 197 tokens); params: batch, dtype, layers, hidden, heads, ffn, "
     "attention",
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
