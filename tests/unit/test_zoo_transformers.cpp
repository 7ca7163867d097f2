// Transformer zoo: parameter counts against published figures, MACs against closed forms derived from the
// model shapes (REFERENCE.md §5), the KV cache, and spec errors.
#include <doctest/doctest.h>

#include <string>

#include "arch/spec/input_error.h"
#include "tests/unit/zoo_fixtures.h"
#include "workloads/zoo/model_zoo.h"

namespace {

using namespace npusim_test;
using npusim::AttentionParams;
using npusim::DType;
using npusim::InputError;
using npusim::OpKind;
using npusim::Workload;

// Transformers default to bf16 where a spec names no dtype.
Workload build(const std::string& text) { return build_zoo(text, DType::kBf16); }

// Producers come before consumers; only gathers and the patch embedding read no producer.
void check_wiring(const Workload& workload) {
  for (size_t i = 0; i < workload.ops.size(); ++i) {
    const auto& op = workload.ops[i];
    const bool source = op.kind == OpKind::kEmbedding || op.kind == OpKind::kConv2d;
    CHECK_MESSAGE(op.inputs.empty() == source, op.name);
    for (const uint32_t input : op.inputs) CHECK_MESSAGE(input < i, op.name);
  }
}

// Per encoder/decoder layer with biases, width d and FFN f: Q, K, V and output projections 4(d^2 + d),
// FFN d*f + f + f*d + d, two LayerNorms 4d.
constexpr uint64_t biased_layer_params(uint64_t d, uint64_t f) {
  return 4 * (d * d + d) + 2 * d * f + f + d + 4 * d;
}
// The same layer's MACs per token (weights only, biases are adds): 4d^2 + 2df.
constexpr uint64_t layer_macs_per_token(uint64_t d, uint64_t f) { return 4 * d * d + 2 * d * f; }

}  // namespace

TEST_CASE("zoo: bert-base and bert-large parameter counts and MACs") {
  // BERT-base (HF bert-base-uncased BertModel): embeddings 30522*768 + 512*768 + 2*768 + LN 2*768
  // = 23,837,184; 12 layers of biased_layer_params(768, 3072) = 7,087,872; pooler 768^2 + 768 = 590,592.
  // Total 109,482,240 = the model's num_parameters(). Published: "110M" (Devlin et al. 2019, Table 1
  // caption): within 0.5%.
  const Workload base = build("bert-base");
  static_assert(biased_layer_params(768, 3072) == 7087872);
  const uint64_t base_params = 23837184ull + 12 * 7087872ull + 590592ull;
  CHECK(base_params == 109482240ull);
  CHECK(npusim::workload_parameters(base) == base_params);
  CHECK(relative_error(static_cast<double>(base_params), 110e6) < 0.005);
  // bf16: two bytes per parameter, except that the embeddings read only the gathered rows (seq 128).
  const uint64_t gathered = 3 * 128 * 768;  // word, position and token-type rows for 128 tokens
  CHECK(npusim::workload_weight_bytes(base) ==
        2 * (base_params - 23440896ull - 393216ull - 1536ull + gathered));

  // MACs at seq S (default 128): S * 12 * (4*768^2 + 2*768*3072) for the projections, 12 * 2*768*S^2 for
  // QK^T and AV (no mask), and the pooler's 768^2 on one token.
  const uint64_t s = 128;
  CHECK(npusim::workload_macs(base) ==
        s * 12 * layer_macs_per_token(768, 3072) + 12 * 2 * 768 * s * s + 768 * 768);
  CHECK(count_kind(base, OpKind::kAttention) == 12);
  CHECK(count_kind(base, OpKind::kLayerNorm) == 25);  // embeddings + 2 per layer
  check_wiring(base);

  // BERT-large: embeddings (30522 + 512 + 2 + 2)*1024 = 31,782,912; 24 layers of
  // biased_layer_params(1024, 4096) = 12,596,224; pooler 1024^2 + 1024. Total 335,141,888 (HF
  // bert-large-uncased). Published: "340M" (Devlin et al. 2019), a rounder figure: within 1.5%.
  const Workload large = build("bert-large:seq=384");
  const uint64_t large_params = 31782912ull + 24 * biased_layer_params(1024, 4096) + 1024 * 1024 + 1024;
  CHECK(large_params == 335141888ull);
  CHECK(npusim::workload_parameters(large) == large_params);
  CHECK(relative_error(static_cast<double>(large_params), 340e6) < 0.015);
  CHECK(npusim::workload_macs(large) ==
        384ull * 24 * layer_macs_per_token(1024, 4096) + 24ull * 2 * 1024 * 384 * 384 + 1024 * 1024);
}

TEST_CASE("zoo: gpt2 counts its tied head once and its causal attention by visible pairs") {
  // GPT-2 small (HF gpt2): wte 50257*768 = 38,597,376, wpe 1024*768 = 786,432, 12 layers of
  // biased_layer_params(768, 3072), ln_f 1536; lm_head is tied to wte. 124,439,808 = "124M"
  // (OpenAI's model card / HF), within 0.5%.
  const Workload w = build("gpt2");
  const uint64_t params = 38597376ull + 786432ull + 12 * biased_layer_params(768, 3072) + 1536;
  CHECK(params == 124439808ull);
  CHECK(npusim::workload_parameters(w) == params);
  CHECK(relative_error(static_cast<double>(params), 124e6) < 0.005);
  // The tied head still streams its weights: 768*50257 elements read per pass.
  CHECK(npusim::op_weight_bytes(find_op(w, "lm_head")) == 2ull * 768 * 50257);
  CHECK(npusim::op_parameters(find_op(w, "lm_head")) == 0);

  // Prefill of S = 128 tokens: projections S * 12 * (4*768^2 + 2*768*3072); causal attention: query i
  // sees i + 1 keys, so sum_i (i+1) = S(S+1)/2 pairs per head, times 2 (QK^T, AV) * 768 (heads * head
  // dim) per layer; the head on the last token: 768 * 50257.
  const uint64_t s = 128;
  CHECK(npusim::workload_macs(w) ==
        s * 12 * layer_macs_per_token(768, 3072) + 12 * 768 * s * (s + 1) + 768ull * 50257);
  // Decode with 100 cached tokens: one token's projections, 2 * 768 * 101 per layer for attention.
  const Workload step = build("gpt2:seq=1,past=100");
  CHECK(npusim::workload_macs(step) ==
        12 * layer_macs_per_token(768, 3072) + 12 * 2 * 768 * 101 + 768ull * 50257);
  check_wiring(w);
}

TEST_CASE("zoo: llama2-7b and llama3.1-8b match the published parameter counts") {
  // Llama-2-7B (HF meta-llama/Llama-2-7b-hf): embed 32000*4096 = 131,072,000; per layer q,k,v,o
  // 4*4096^2 = 67,108,864, gate/up/down 3*4096*11008 = 135,266,304, two RMSNorm gammas 8192; final
  // norm 4096; untied lm_head 131,072,000. Total 6,738,415,616 = "6.74B" (HF model card), within 0.1%.
  const Workload llama2 = build("llama2-7b:seq=1,past=511");
  const uint64_t layer2 = 4ull * 4096 * 4096 + 3ull * 4096 * 11008 + 2 * 4096;
  const uint64_t params2 = 2 * 131072000ull + 32 * layer2 + 4096;
  CHECK(params2 == 6738415616ull);
  CHECK(npusim::workload_parameters(llama2) == params2);
  CHECK(relative_error(static_cast<double>(params2), 6.74e9) < 0.001);

  // Llama-3.1-8B (HF meta-llama/Llama-3.1-8B): embed 128256*4096 = 525,336,576; per layer q and o
  // 2*4096^2, k and v 2*4096*1024 (8 K/V heads of 128), gate/up/down 3*4096*14336, norms 8192; untied
  // head. Total 8,030,261,248 = "8.03B" (Meta's model card), within 0.1%.
  const Workload llama3 = build("llama3.1-8b");
  const uint64_t layer3 = 2ull * 4096 * 4096 + 2ull * 4096 * 1024 + 3ull * 4096 * 14336 + 2 * 4096;
  const uint64_t params3 = 2 * 525336576ull + 32 * layer3 + 4096;
  CHECK(params3 == 8030261248ull);
  CHECK(npusim::workload_parameters(llama3) == params3);
  CHECK(relative_error(static_cast<double>(params3), 8.03e9) < 0.001);
  const auto& attention = std::get<AttentionParams>(find_op(llama3, "layers.0.self_attn").params);
  CHECK(attention.heads == 32);
  CHECK(attention.kv_heads == 8);
  CHECK(attention.head_dim == 128);
  check_wiring(llama3);
}

TEST_CASE("zoo: llama2-7b decode MACs are the streamed weights plus attention over the cache") {
  // One decode token with P cached: every weight except the embedding table is used once (a GEMV),
  // i.e. MACs = params - embedding table - norm gammas = 32*(4*4096^2 + 3*4096*11008) + 4096*32000
  // = 6,607,077,376, plus attention 2 * 4096 * (P + 1) per layer.
  const uint64_t p = 511;
  const Workload step = build("llama2-7b:seq=1,past=511");
  const uint64_t gemv_macs = 32 * (4ull * 4096 * 4096 + 3ull * 4096 * 11008) + 4096ull * 32000;
  CHECK(gemv_macs == 6607077376ull);
  CHECK(npusim::workload_macs(step) == gemv_macs + 32 * 2 * 4096 * (p + 1));
  // Weight bytes streamed per token (bf16): those GEMV weights, 65 norm gammas and one embedding row.
  CHECK(npusim::workload_weight_bytes(step) == 2 * (gemv_macs + 65 * 4096 + 4096));
  // KV cache per token: 2 (K, V) * 32 layers * 32 K/V heads * 128 * 2 bytes = 512 KiB (REFERENCE.md §5).
  CHECK(npusim::workload_kv_cache_bytes_per_token(step) == 2ull * 32 * 32 * 128 * 2);
  CHECK(npusim::workload_kv_cache_bytes_per_token(build("llama3.1-8b:seq=1")) == 2ull * 32 * 8 * 128 * 2);
  CHECK(npusim::workload_kv_cache_bytes_per_token(build("llama2-7b:seq=1,batch=4")) ==
        4 * 2ull * 32 * 32 * 128 * 2);
  CHECK(npusim::workload_kv_cache_bytes_per_token(build("bert-base")) == 0);  // no cache in an encoder
  // The attention reads the cached K/V of P tokens and appends the new token's.
  const auto& attention = find_op(step, "layers.0.self_attn");
  CHECK(npusim::attention_kv_cache_read_bytes(attention) == 2ull * 32 * 128 * p * 2);
  CHECK(npusim::attention_kv_cache_write_bytes(attention) == 2ull * 32 * 128 * 2);

  // Prefill of S: S tokens through every layer GEMM, the head on the last token only, causal attention
  // 2 * 4096 * S(S+1)/2 per layer.
  const uint64_t s = 512;
  CHECK(npusim::workload_macs(build("llama2-7b")) ==
        s * 32 * (4ull * 4096 * 4096 + 3ull * 4096 * 11008) + 4096ull * 32000 + 32 * 4096 * s * (s + 1));
}

TEST_CASE("zoo: vit-b16 matches timm's parameter count and MACs") {
  // timm vit_base_patch16_224: patch conv 16*16*3*768 + 768 = 590,592; CLS token 768; positions
  // 197*768 = 151,296; 12 layers of biased_layer_params(768, 3072); final LN 1536; head 768*1000 + 1000.
  // Total 86,567,656 = "86.6M" (timm / Dosovitskiy et al. 2021 "86M"), within 0.1%.
  const Workload w = build("vit-b16");
  const uint64_t params = 590592ull + 768 + 151296 + 12 * biased_layer_params(768, 3072) + 1536 + 769000;
  CHECK(params == 86567656ull);
  CHECK(npusim::workload_parameters(w) == params);
  CHECK(relative_error(static_cast<double>(params), 86.6e6) < 0.001);
  // MACs: 196 patches * 768 * 768 (K = 16*16*3), 197 tokens * 12 layers of projections, 12 * 2*768*197^2
  // attention, the head on the CLS token. 17.56 G, timm's "17.6 GMACs" within 0.5%.
  const uint64_t macs = 196ull * 768 * 768 + 197ull * 12 * layer_macs_per_token(768, 3072) +
                        12ull * 2 * 768 * 197 * 197 + 768ull * 1000;
  CHECK(npusim::workload_macs(w) == macs);
  CHECK(relative_error(static_cast<double>(macs), 17.6e9) < 0.005);
  check_wiring(w);
}

TEST_CASE("zoo: transformers scale with batch and seq, and take the attention form") {
  for (const char* name : {"bert-base", "gpt2", "vit-b16", "llama2-7b:layers=2"}) {
    const Workload one = build(name);
    const std::string spec =
        std::string(name) + (std::string(name).find(':') == std::string::npos ? ":" : ",");
    const Workload four = build(spec + "batch=4");
    CHECK_MESSAGE(npusim::workload_macs(four) == 4 * npusim::workload_macs(one), name);
    CHECK_MESSAGE(npusim::workload_parameters(four) == npusim::workload_parameters(one), name);
  }
  const Workload unfused = build("bert-base:attention=unfused");
  CHECK_FALSE(std::get<AttentionParams>(find_op(unfused, "layer0.attention").params).fused);
  CHECK(npusim::workload_macs(unfused) == npusim::workload_macs(build("bert-base")));
  CHECK(build("llama2-7b:layers=2").ops.size() == 1 + 2 * 12 + 2);  // embed, 12 per layer, norm + head
}

TEST_CASE("zoo: bad transformer specs throw InputError with the field path") {
  check_rejected_specs(
      {
          {"bert-base:heads=7", "bert-base.heads: expected a divisor of the model width 768, got 7"},
          {"llama3.1-8b:kv_heads=5", "llama3.1-8b.kv_heads: expected a divisor of heads (32), got 5"},
          {"llama3.1-8b:heads=4", "llama3.1-8b.heads: expected a multiple of kv_heads (8)"},
          {"bert-base:seq=0", "bert-base.seq: expected a positive integer"},
          {"bert-base:seq=513", "bert-base.seq: expected seq + past <= 512"},
          {"gpt2:seq=1000,past=100", "gpt2.past: expected seq + past <= 1024"},
          {"bert-base:past=3", "bert-base.past: unknown parameter"},
          {"vit-b16:seq=10", "vit-b16.seq: unknown parameter"},
          {"gpt2:attention=flash", "gpt2.attention: expected fused or unfused, got 'flash'"},
      },
      DType::kBf16);
  // 4096 / 40 heads leaves no integer head size; 4096 / 4096 = 1 is odd, so rotary cannot pair it.
  CHECK_THROWS_AS(build("llama2-7b:heads=40"), InputError);
  CHECK_THROWS_WITH_AS(build("llama2-7b:heads=4096"), doctest::Contains("even head size"), InputError);
}

TEST_CASE("ir: transformer operators count their MACs, parameters and bytes") {
  using npusim::Operator;
  const auto make = [](OpKind kind, npusim::OpParams params) {
    Operator op;
    op.kind = kind;
    op.dtype = DType::kBf16;
    op.batch = 2;
    op.params = params;
    return op;
  };
  // LayerNorm over 10 rows of 64: gamma and beta are 128 parameters; reads and writes 2*10*64 elements.
  const Operator ln = make(OpKind::kLayerNorm, npusim::RowParams{10, 64});
  CHECK(npusim::op_parameters(ln) == 128);
  CHECK(npusim::op_weight_bytes(ln) == 256);
  CHECK(npusim::op_input_bytes(ln) == 2 * 10 * 64 * 2);
  CHECK(npusim::op_output_bytes(ln) == 2 * 10 * 64 * 2);
  CHECK(npusim::op_macs(ln) == 0);
  CHECK(npusim::op_parameters(make(OpKind::kRmsNorm, npusim::RowParams{10, 64})) == 64);
  CHECK(npusim::op_parameters(make(OpKind::kSoftmax, npusim::RowParams{10, 64})) == 0);
  // Rotary on 3 heads of 8 for 5 tokens: 2*5*3*8 elements in and out, plus 2*5 cos/sin rows of 8.
  const Operator rope = make(OpKind::kRotary, npusim::RotaryParams{5, 3, 8});
  CHECK(npusim::op_input_bytes(rope) == (2 * 5 * 3 * 8 + 2 * 5 * 8) * 2);
  CHECK(npusim::op_output_bytes(rope) == 2 * 5 * 3 * 8 * 2);
  // A gather of 7 tokens from a 1000 x 16 table: the table is the parameter, 2*7 rows are read.
  const Operator embed = make(OpKind::kEmbedding, npusim::EmbeddingParams{7, 1000, 16});
  CHECK(npusim::op_parameters(embed) == 16000);
  CHECK(npusim::op_weight_bytes(embed) == 2 * 7 * 16 * 2);
  CHECK(npusim::op_input_bytes(embed) == 2 * 7 * 4);  // int32 ids
  // GQA attention, 4 query / 2 K/V heads of 8, 3 new tokens over 5 cached, causal, with a cache:
  // visible pairs per head 3*5 + (1+2+3) = 21, MACs 2 (batch) * 2 (QK^T, AV) * 4 * 8 * 21.
  AttentionParams p;
  p.heads = 4;
  p.kv_heads = 2;
  p.head_dim = 8;
  p.q_len = 3;
  p.past_len = 5;
  p.causal = true;
  p.kv_cache = true;
  const Operator attention = make(OpKind::kAttention, p);
  CHECK(npusim::op_macs(attention) == 2ull * 2 * 4 * 8 * 21);
  CHECK(npusim::op_parameters(attention) == 0);
  // Reads Q 3*4*8, new K/V 2*3*2*8 and cached K/V 2*5*2*8 elements; writes O 3*4*8 and appends 2*3*2*8.
  CHECK(npusim::op_input_bytes(attention) == 2 * (96 + 96 + 160) * 2);
  CHECK(npusim::attention_kv_cache_read_bytes(attention) == 2 * 160 * 2);
  CHECK(npusim::op_output_bytes(attention) == 2 * (96 + 96) * 2);
  CHECK(npusim::attention_score_bytes(attention) == 2 * 4 * 3 * 8 * 2);
}
