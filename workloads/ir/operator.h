// The operator IR: what a workload asks of the chip, independent of any NPU or GPU.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "sim/core/dtype.h"
#include "sim/core/units.h"

namespace npusim {

enum class OpKind : uint8_t {
  kConv2d,           // includes grouped conv; groups == in_c == out_c is depthwise (see is_depthwise)
  kFullyConnected,   // [batch x in] * [in x out], weights constant
  kMatMul,           // batched matmul; weights constant or both operands activations
  kMaxPool,
  kAvgPool,
  kElementwise,      // add, mul, relu, ... over a tensor
};

enum class EltwiseKind : uint8_t { kAdd, kMul, kRelu, kRelu6, kSigmoid, kSilu, kGelu, kCopy };

// Activation fused into a producer's output path (no extra DRAM round trip).
enum class Activation : uint8_t { kNone, kRelu, kRelu6, kSilu, kGelu, kSigmoid };

struct ConvParams {
  uint32_t in_h = 1, in_w = 1, in_c = 1;
  uint32_t out_c = 1;
  uint32_t kernel_h = 1, kernel_w = 1;
  uint32_t stride_h = 1, stride_w = 1;
  uint32_t pad_top = 0, pad_bottom = 0, pad_left = 0, pad_right = 0;
  uint32_t groups = 1;
};

// out[batch][m x n] = a[batch][m x k] * b[batch or shared][k x n]
struct MatMulParams {
  uint64_t m = 1, n = 1, k = 1;
  bool b_is_weight = true;  // weights are shared across the batch and read from DRAM once per use
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

using OpParams = std::variant<ConvParams, MatMulParams, PoolParams, EltwiseParams>;

struct Operator {
  std::string name;
  OpKind kind = OpKind::kConv2d;
  DType dtype = DType::kInt8;
  uint32_t batch = 1;  // batch items (images, sequences, or independent matmuls)
  OpParams params;
  Activation activation = Activation::kNone;
  std::vector<uint32_t> inputs;  // indices of producer operators in the workload
};

struct Workload {
  std::string name;
  std::string source;  // "zoo:resnet50", a file path, ...
  std::vector<Operator> ops;
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

// Multiply-accumulates (0 for ops without a reduction; pooling counts window reads, not MACs).
uint64_t op_macs(const Operator& op);
Bytes op_weight_bytes(const Operator& op);
Bytes op_input_bytes(const Operator& op);   // activations read (all inputs), weights excluded
Bytes op_output_bytes(const Operator& op);
uint64_t op_output_elements(const Operator& op);

uint64_t workload_macs(const Workload& workload);
Bytes workload_weight_bytes(const Workload& workload);

const char* op_kind_name(OpKind kind);
const char* eltwise_kind_name(EltwiseKind kind);
const char* activation_name(Activation activation);

}  // namespace npusim
