// BERT encoders as in Hugging Face's BertModel (Devlin et al. 2019): word + position + token-type
// embeddings and LayerNorm, post-LN encoder layers with biased projections and GELU, and the pooler
// (dense + tanh on the [CLS] token). No language-model or classification head.
#include <string>

#include "workloads/zoo/transformer_builder.h"
#include "workloads/zoo/zoo_builders.h"

namespace npusim {
namespace {

constexpr uint64_t kBertVocab = 30522;
constexpr uint64_t kBertPositions = 512;
constexpr uint64_t kBertTokenTypes = 2;
// Sequence length when the spec gives none: 128 (short-sequence serving; SQuAD-style runs use 384).
constexpr uint64_t kBertDefaultSeq = 128;

Workload build_bert(const WorkloadSpec& spec, DType default_dtype, const TransformerDims& defaults) {
  TransformerTraits traits;
  traits.default_seq = kBertDefaultSeq;
  const TransformerRequest r = read_transformer_request(spec, default_dtype, defaults, traits);
  const uint32_t d = r.dims.d_model;
  TransformerBuilder net(r.common.batch, r.common.dtype);

  const SeqRef words = net.embedding("embeddings.word", r.seq, r.dims.vocab, d);
  const SeqRef positions = net.embedding("embeddings.position", r.seq, kBertPositions, d);
  const SeqRef types = net.embedding("embeddings.token_type", r.seq, kBertTokenTypes, d);
  SeqRef x = net.eltwise("embeddings.sum", EltwiseKind::kAdd, {words, positions, types});
  x = net.norm("embeddings.norm", OpKind::kLayerNorm, x);

  AttentionParams attention;
  attention.heads = attention.kv_heads = r.dims.heads;
  attention.head_dim = r.head_dim();
  attention.q_len = r.seq;
  attention.fused = r.fused;
  for (uint32_t layer = 0; layer < r.dims.layers; ++layer) {
    const std::string name = "layer" + std::to_string(layer);
    const SeqRef qkv = net.linear(name + ".qkv", x, 3ull * d, true, Activation::kNone);
    const SeqRef context = net.attention(name + ".attention", qkv, qkv, attention);
    const SeqRef projected = net.linear(name + ".attention.output", context, d, true, Activation::kNone);
    x = net.norm(name + ".attention.norm", OpKind::kLayerNorm,
                 net.eltwise(name + ".attention.residual", EltwiseKind::kAdd, {projected, x}));
    const SeqRef hidden = net.linear(name + ".intermediate", x, r.dims.ffn, true, Activation::kGelu);
    const SeqRef out = net.linear(name + ".output", hidden, d, true, Activation::kNone);
    x = net.norm(name + ".output.norm", OpKind::kLayerNorm,
                 net.eltwise(name + ".output.residual", EltwiseKind::kAdd, {out, x}));
  }
  net.linear("pooler", TransformerBuilder::one_token(x), d, true, Activation::kTanh);
  return make_zoo_workload(spec, net.take_ops());
}

}  // namespace

Workload build_bert_base(const WorkloadSpec& spec, DType default_dtype) {
  // 12 layers, width 768, 12 heads, FFN 3072 (REFERENCE.md §5).
  return build_bert(spec, default_dtype, TransformerDims{12, 768, 12, 12, 3072, kBertVocab, kBertPositions});
}

Workload build_bert_large(const WorkloadSpec& spec, DType default_dtype) {
  // 24 layers, width 1024, 16 heads, FFN 4096 (REFERENCE.md §5).
  return build_bert(spec, default_dtype, TransformerDims{24, 1024, 16, 16, 4096, kBertVocab, kBertPositions});
}

}  // namespace npusim
