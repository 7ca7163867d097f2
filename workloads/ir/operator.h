// The operator IR: what a workload asks of the chip, independent of any NPU or GPU.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "arch/spec/dtype.h"
#include "arch/spec/units.h"

namespace npusim {

enum class OpKind : uint8_t {
  kConv2d,           // includes grouped conv; groups == in_c == out_c is depthwise (see is_depthwise)
  kFullyConnected,   // [batch x in] * [in x out], weights constant
  kMatMul,           // batched matmul; weights constant or both operands activations
  kMaxPool,
  kAvgPool,
  kElementwise,      // add, mul, relu, ... over a tensor
  // Transformer operators (vector unit unless noted; costs in workloads/mapper/vector_costs.h).
  kSoftmax,          // RowParams: softmax over each row
  kLayerNorm,        // RowParams: mean/variance normalisation, gamma and beta (2*width parameters)
  kRmsNorm,          // RowParams: root-mean-square normalisation, gamma (width parameters)
  kRotary,           // RotaryParams: rotary position embedding applied to query and key heads
  kEmbedding,        // EmbeddingParams: a gather of table rows (token ids -> vectors), rows read from DRAM
  kAttention,        // AttentionParams: softmax(Q K^T) V per head; QK^T and AV on the array
};

enum class EltwiseKind : uint8_t { kAdd, kMul, kRelu, kRelu6, kSigmoid, kSilu, kGelu, kCopy, kHardSigmoid, kHardSwish };

// Activation fused into a producer's output path (no extra DRAM round trip).
// Hard sigmoid is clip(x / 6 + 1/2, 0, 1); hard swish is x times it (MobileNetV3).
enum class Activation : uint8_t { kNone, kRelu, kRelu6, kSilu, kGelu, kSigmoid, kTanh, kHardSigmoid, kHardSwish };

struct ConvParams {
  uint32_t in_h = 1, in_w = 1, in_c = 1;
  uint32_t out_c = 1;
  uint32_t kernel_h = 1, kernel_w = 1;
  uint32_t stride_h = 1, stride_w = 1;
  uint32_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  uint32_t groups = 1;
  bool bias = false;  // a per-output-channel bias (out_c parameters), added in the output path
};

// out[batch][m x n] = a[batch][m x k] * b[batch or shared][k x n]
struct MatMulParams {
  uint64_t m = 1, n = 1, k = 1;
  bool b_is_weight = true;  // weights are shared across the batch and read from DRAM once per use
  bool bias = false;        // a per-output-column bias (n parameters), added in the output path
  // The weights are another operator's parameters (a language-model head tied to the token embedding):
  // read from DRAM like any weight, but not counted again by op_parameters.
  bool tied_weights = false;
  // > 0: a mixture-of-experts layer owning `experts` weight matrices [k x n] of which the op's batch
  // (the active experts) run, each on its own m routed tokens; b_is_weight is false (B differs per
  // batch item) yet B is a parameter: op_weight_bytes counts the active experts' matrices.
  uint32_t experts = 0;
};

struct PoolParams {
  uint32_t in_h = 1, in_w = 1, channels = 1;
  uint32_t kernel_h = 1, kernel_w = 1;
  uint32_t stride_h = 1, stride_w = 1;
  uint32_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  bool global = false;  // global pooling: kernel equals the input extent
};

struct EltwiseParams {
  uint64_t elements = 1;  // per batch item
  uint32_t inputs = 1;    // tensors read (2 for a residual add)
  EltwiseKind kind = EltwiseKind::kAdd;
};

// Softmax and normalisations: `rows` independent rows of `width` elements per batch item; the reduction
// runs along a row.
struct RowParams {
  uint64_t rows = 1;
  uint64_t width = 1;
};

// Rotary embedding (RoFormer / GPT-NeoX / Llama) over `heads` heads (query plus key heads) of `head_dim`
// per token. The cos/sin values come from a precomputed table of tokens x head_dim elements (cos for
// head_dim/2 frequencies and sin for as many), read from DRAM: a buffer, not a parameter.
struct RotaryParams {
  uint64_t tokens = 1;  // per batch item
  uint32_t heads = 1;
  uint32_t head_dim = 2;
};

// Gather of `tokens` rows (per batch item) from a table_rows x width table. The whole table is a
// parameter; only the gathered rows are read (op_weight_bytes), plus one 4-byte id per token.
struct EmbeddingParams {
  uint64_t tokens = 1;
  uint64_t table_rows = 1;
  uint64_t width = 1;
};

// Scaled dot-product attention for one batch item: q_len new queries attend to kv_len = past_len + q_len
// keys. Grouped-query attention when kv_heads < heads: each K/V head serves heads/kv_heads query heads.
//  - past_len tokens of K/V come from the KV cache in DRAM; the q_len new tokens' K/V come from the
//    producer (projection or rotary) and, with kv_cache, are appended to the cache (a DRAM write).
//  - causal: query i sees keys up to past_len + i (decoders); op_macs counts only visible scores.
//  - fused (flash-style): scores stay in SRAM; unfused: QK^T writes the scores to DRAM, a softmax pass
//    reads and rewrites them, and AV reads them back (see workloads/mapper/attention_lowering.h).
struct AttentionParams {
  uint32_t heads = 1;
  uint32_t kv_heads = 1;
  uint32_t head_dim = 64;
  uint64_t q_len = 1;
  uint64_t past_len = 0;
  bool causal = false;
  bool kv_cache = false;
  bool fused = true;
};

using OpParams = std::variant<ConvParams, MatMulParams, PoolParams, EltwiseParams, RowParams, RotaryParams,
                              EmbeddingParams, AttentionParams>;

struct Operator {
  std::string name;
  OpKind kind = OpKind::kConv2d;
  DType dtype = DType::kInt8;
  uint32_t batch = 1;  // batch items (images, sequences, or independent matmuls)
  OpParams params;
  Activation activation = Activation::kNone;
  std::vector<uint32_t> inputs;  // indices of producer operators in the workload
};

// The fields a graph builder sets on each new operator; dtype, batch and producers keep their defaults.
inline Operator make_operator(std::string name, OpKind kind, OpParams params,
                              Activation activation = Activation::kNone) {
  Operator op;
  op.name = std::move(name);
  op.kind = kind;
  op.params = std::move(params);
  op.activation = activation;
  return op;
}

// One request of a serving trace (an npusim trace's "requests"): metadata for serving studies; the
// simulator does not model arrivals yet.
struct InferenceRequest {
  std::string id;
  uint64_t arrival_ns = 0;
  uint32_t batch = 1;
  uint64_t input_tokens = 0;   // 0: not given (CNN requests)
  uint64_t output_tokens = 0;
};

struct Workload {
  std::string name;
  std::string source;  // "zoo:resnet50", a file path, ...
  std::vector<Operator> ops;
  std::vector<InferenceRequest> requests;  // arrival order; empty unless a trace supplies them
  std::vector<std::string> warnings;       // importer notes for the report (skipped ONNX operators)
  std::vector<std::string> notes;          // modelling assumptions reports repeat (effective sequence length)
};

// Output spatial extent of a convolution or pooling window (floor division, as frameworks do).
uint32_t conv_out_h(const ConvParams& p);
uint32_t conv_out_w(const ConvParams& p);
uint32_t pool_out_h(const PoolParams& p);
uint32_t pool_out_w(const PoolParams& p);
bool is_depthwise(const ConvParams& p);

// The GEMM view of a conv / FC / matmul (im2col for conv): per group, M = batch*Ho*Wo,
// N = out_c/groups, K = kh*kw*in_c/groups. gemm_count = groups (conv) or batch (batched matmul).
struct GemmView {
  uint64_t m = 0, n = 0, k = 0;
  uint64_t gemm_count = 1;
};
bool has_gemm_view(const Operator& op);
GemmView gemm_view(const Operator& op);

// Multiply-accumulates (0 for ops without a reduction; pooling counts window reads, not MACs). Attention
// counts QK^T and AV over the visible (unmasked) scores: 2 * heads * head_dim * visible pairs.
uint64_t op_macs(const Operator& op);
// Weight bytes the operator reads from DRAM each time it runs: the weight matrix (+ bias), norm gammas
// and betas, an embedding's gathered rows (not the whole table), tied weights included.
Bytes op_weight_bytes(const Operator& op);
// Activations read (all inputs), weights excluded. Attention: Q, the new tokens' K/V and the cached
// K/V; rotary: its input and the cos/sin table rows; embedding: the token ids.
Bytes op_input_bytes(const Operator& op);
// Outputs written; attention with kv_cache adds the new tokens' K/V appended to the cache.
Bytes op_output_bytes(const Operator& op);
uint64_t op_output_elements(const Operator& op);
// Parameters the operator owns (model size): weights and biases, norm gammas/betas, whole embedding
// tables; tied weights count 0 (their owner counts them).
uint64_t op_parameters(const Operator& op);

// Attention only (0 otherwise): K/V bytes read from the cache (past tokens) and appended to it.
Bytes attention_kv_cache_read_bytes(const Operator& op);
Bytes attention_kv_cache_write_bytes(const Operator& op);
// Score matrix bytes (all heads, every batch item, dtype-sized, masked entries included): what the
// unfused form writes to DRAM after QK^T, and the softmax pass reads and writes again.
Bytes attention_score_bytes(const Operator& op);
uint64_t attention_kv_len(const AttentionParams& p);

uint64_t workload_macs(const Workload& workload);
Bytes workload_weight_bytes(const Workload& workload);
uint64_t workload_parameters(const Workload& workload);
// KV-cache bytes one more token position adds over all attention layers with kv_cache, for every sequence
// of the batch (0 for workloads without a KV cache).
Bytes workload_kv_cache_bytes_per_token(const Workload& workload);

const char* op_kind_name(OpKind kind);
const char* eltwise_kind_name(EltwiseKind kind);
const char* activation_name(Activation activation);

}  // namespace npusim
