// Internals of the ONNX importer shared by its onnx_*.cpp files: tensor records, limits and GraphImporter.
#pragma once

#ifdef NPUSIM_HAVE_ONNX

#include <onnx/onnx_pb.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "workloads/importers/onnx_model.h"
#include "workloads/ir/operator.h"

namespace npusim::onnx_detail {

using Dims = std::vector<int64_t>;
using Node = onnx::NodeProto;

inline constexpr int64_t kMaxDim = std::numeric_limits<int32_t>::max();
// Per tensor; keeps every derived count in 64 bits.
inline constexpr uint64_t kMaxElements = uint64_t{1} << 50;
inline constexpr size_t kMaxValues = 64;  // constant values kept for shape arithmetic

std::string dims_text(const Dims& dims);

// What the importer knows about one tensor (by name).
struct Tensor {
  bool known = false;  // shape known; false only downstream of a skipped operator without value_info
  Dims dims;
  std::vector<uint32_t> producers;  // IR operators whose outputs form it (none: a graph input or constant)
  bool constant = false;            // an initializer, a Constant, or computed from constants only
  std::optional<std::vector<int64_t>> ints;   // values of a small integer constant (shape arithmetic)
  std::optional<std::vector<double>> floats;  // values of a small float constant (Resize scales)
  int fusable_op = -1;     // the IR operator this is the unchanged output of: an activation may fuse into it
  std::string skipped_by;  // the skipped unsupported node it comes from, for messages
};

bool is_int_type(int32_t type);
size_t raw_width(int32_t type);
// Little-endian raw bytes (ONNX's layout; x86 and arm64 hosts are little-endian too).
int64_t raw_int(const std::string& raw, size_t index, size_t width, bool is_signed);
// The values of a small constant TensorProto (integers or floats), when they are stored inline.
void read_values(const onnx::TensorProto& t, uint64_t count, Tensor& out);

const onnx::AttributeProto* find_attribute(const Node& node, const char* name);
std::string node_label(const Node& node, size_t index);

class GraphImporter {
 public:
  GraphImporter(const onnx::GraphProto& graph, const std::string& file, const OnnxImportOptions& options,
                int64_t opset)
      : graph_(graph), file_(file), options_(options), opset_(opset) {}

  Workload run();

 private:
  // ---- errors and attributes -------------------------------------------------------------------------
  [[noreturn]] void fail(const std::string& message) const;

  int64_t attr_int(const Node& node, const char* name, int64_t fallback) const;
  float attr_float(const Node& node, const char* name, float fallback) const;
  std::string attr_string(const Node& node, const char* name, const std::string& fallback) const;
  std::optional<Dims> attr_ints(const Node& node, const char* name) const;

  // ---- tensors -----------------------------------------------------------------------------------------
  uint64_t elements(const Dims& dims, const std::string& what) const;

  void add_initializers();

  void add_graph_inputs();

  // Consumers per tensor (activation fusion needs single-consumer outputs) and value_info shapes.
  void index_graph();

  bool has_input(const Node& node, int index) const;

  const Tensor& input(const Node& node, int index) const;

  const Tensor* optional_input(const Node& node, int index) const;

  const std::vector<int64_t>& constant_ints(const Node& node, int index, const char* what) const;

  void set_output(const Node& node, int index, Tensor tensor);

  static Tensor alias(const Tensor& in, Dims dims);

  int64_t axis_index(int64_t axis, size_t rank, const char* what) const;

  // ---- IR operators ------------------------------------------------------------------------------------
  uint32_t dim32(int64_t value, const char* what) const;

  // Batch items and elements per item of an activation: the leading dimension is the batch (rank >= 2).
  std::pair<uint32_t, uint64_t> split_batch(const Dims& dims) const;

  // Appends an IR operator reading the non-constant `activations`; returns its output tensor (fusable).
  Tensor emit(Operator op, const std::vector<const Tensor*>& activations, Dims out_dims);

  // ---- windows: kernel, strides and pads of convolutions and pools ----------------------------------
  struct Window {
    Dims kernel, strides, begin, end;
  };

  Window window(const Node& node, const Dims& spatial, const Dims& kernel, bool ceil_mode) const;

  static int64_t window_out(int64_t in, const Window& w, size_t i);

  // Input extent, kernel, strides and pads of a 1-D or 2-D window into ConvParams or PoolParams (which
  // name them alike); a 1-D window has height 1.
  template <class Params>
  void set_window_fields(Params& p, const Dims& spatial, const Window& w) const {
    const size_t wi = spatial.size() - 1;
    p.in_w = dim32(spatial[wi], "width");
    p.kernel_w = static_cast<uint32_t>(w.kernel[wi]);
    p.stride_w = static_cast<uint32_t>(w.strides[wi]);
    p.pad_left = static_cast<uint32_t>(w.begin[wi]);
    p.pad_right = static_cast<uint32_t>(w.end[wi]);
    if (spatial.size() == 2) {
      p.in_h = dim32(spatial[0], "height");
      p.kernel_h = static_cast<uint32_t>(w.kernel[0]);
      p.stride_h = static_cast<uint32_t>(w.strides[0]);
      p.pad_top = static_cast<uint32_t>(w.begin[0]);
      p.pad_bottom = static_cast<uint32_t>(w.end[0]);
    }
  }

  // ---- handlers ----------------------------------------------------------------------------------------
  void conv(const Node& node);

  void pool(const Node& node, OpKind kind);

  void global_pool(const Node& node, OpKind kind);

  // A weight matrix times activations: a fully connected layer; the leading dimension of the
  // activation is the batch and the rest are rows.
  Tensor fully_connected(const Tensor& a, const Dims& a_dims, uint64_t n, uint64_t k, bool bias, Dims out);

  void gemm(const Node& node);

  void matmul(const Node& node);

  Dims broadcast(const std::vector<Dims>& shapes) const;

  bool can_fuse(const Node& node, const Tensor& x) const;

  // One activation operand: fused into its producer when it is that producer's only consumer, else an
  // elementwise operator of its own.
  void unary(const Node& node, EltwiseKind kind, std::optional<Activation> activation);

  Tensor eltwise(EltwiseKind kind, const std::vector<const Tensor*>& operands, const Dims& out);

  void binary(const Node& node, EltwiseKind kind);

  // Where(cond, a, b): folded when all three are small integer constants (shape arithmetic such as
  // torch's expand(n, -1, -1)), else a select pass over the broadcast output.
  void where(const Node& node);

  // Integer arithmetic on small constants (shape computations such as Shape -> Gather -> Mul).
  static std::optional<std::vector<int64_t>> fold_ints(const std::string& type,
                                                       const std::vector<const Tensor*>& in, uint64_t count);

  // Softmax and normalisations: rows of `width` elements, the reduction along the row.
  void rows(const Node& node, OpKind kind, int64_t default_axis, bool coerce_to_2d);

  std::optional<Dims> axes_of(const Node& node, int input_index) const;

  void reduce(const Node& node);

  void resize(const Node& node);

  void gather(const Node& node);

  void reshape(const Node& node);

  void flatten(const Node& node);

  void transpose(const Node& node);

  void squeeze(const Node& node);

  void unsqueeze(const Node& node);

  void concat(const Node& node);

  void split(const Node& node);

  void slice(const Node& node);

  void expand(const Node& node);

  void tile(const Node& node);

  void pad(const Node& node);

  void depth_space(const Node& node, bool to_space);

  void constant(const Node& node);

  void shape(const Node& node);

  void constant_of_shape(const Node& node);

  void range(const Node& node);

  // Identity-like nodes: the same data, so an activation after them may still fuse into the producer.
  void pass_through(const Node& node);

  // ---- dispatch (onnx_dispatch.cpp) ----------------------------------------------------------------
  using NodeHandler = std::function<void(GraphImporter&, const Node&)>;
  using HandlerTable = std::unordered_map<std::string, NodeHandler>;
  // The ONNX operator types the importer maps (default domain) and how: the one list of supported types.
  // Shape-free reasons to refuse a node of a supported type (dilated windows, 3-D convolutions) are
  // found by unsupported_label().
  static const HandlerTable& handlers();
  static void add_compute_handlers(HandlerTable& table);
  static void add_elementwise_handlers(HandlerTable& table);
  static void add_data_movement_handlers(HandlerTable& table);
  static bool has_handler(const std::string& op_type);
  void import_node(const Node& node);

  // Why a node cannot be mapped, from its type and attributes alone; empty when it can.
  std::string unsupported_label(const Node& node) const;

  // An unsupported node under --allow-unsupported: its outputs take their value_info shape, or the first
  // input's, and carry the inputs' producers so the dependency chain stays intact.
  void skip_node(const Node& node);

  const onnx::GraphProto& graph_;
  const std::string& file_;
  OnnxImportOptions options_;
  int64_t opset_;
  std::string where_;
  std::string label_;
  const Node* current_ = nullptr;  // the node being imported, for messages
  std::unordered_map<std::string, Tensor> tensors_;
  std::unordered_map<std::string, int> consumers_;
  std::unordered_set<std::string> graph_outputs_;
  std::unordered_map<std::string, Dims> value_info_;
  std::vector<Operator> ops_;
};

}  // namespace npusim::onnx_detail

#endif  // NPUSIM_HAVE_ONNX
