#include "workloads/importers/onnx_model.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/input_error.h"

#ifdef NPUSIM_HAVE_ONNX

#include <google/protobuf/stubs/logging.h>
#include <onnx/onnx_pb.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace npusim {
namespace {

using Dims = std::vector<int64_t>;
using Node = onnx::NodeProto;

constexpr int64_t kMaxDim = std::numeric_limits<int32_t>::max();
constexpr uint64_t kMaxElements = uint64_t{1} << 50;  // per tensor; keeps every derived count in 64 bits
constexpr size_t kMaxValues = 64;                     // constant values kept for shape arithmetic

std::string dims_text(const Dims& dims) {
  std::string text = "[";
  for (size_t i = 0; i < dims.size(); ++i) text += (i ? ", " : "") + std::to_string(dims[i]);
  return text + "]";
}

// What the importer knows about one tensor (by name).
struct Tensor {
  bool known = false;  // shape known; false only downstream of a skipped operator without value_info
  Dims dims;
  std::vector<uint32_t> producers;  // IR operators whose outputs form it (none: a graph input or constant)
  bool constant = false;            // an initializer, a Constant, or computed from constants only
  std::optional<std::vector<int64_t>> ints;  // values of a small integer constant (shape arithmetic)
  std::optional<std::vector<double>> floats;  // values of a small float constant (Resize scales)
  int fusable_op = -1;  // the IR operator this is the unchanged output of: an activation may fuse into it
  std::string skipped_by;  // the skipped unsupported node it comes from, for messages
};

bool is_int_type(int32_t type) {
  using T = onnx::TensorProto;
  return type == T::INT64 || type == T::INT32 || type == T::INT16 || type == T::INT8 || type == T::UINT8 ||
         type == T::UINT16 || type == T::UINT32 || type == T::UINT64 || type == T::BOOL;
}

size_t raw_width(int32_t type) {
  using T = onnx::TensorProto;
  switch (type) {
    case T::INT64:
    case T::UINT64:
    case T::DOUBLE: return 8;
    case T::INT32:
    case T::UINT32:
    case T::FLOAT: return 4;
    case T::INT16:
    case T::UINT16: return 2;
    case T::INT8:
    case T::UINT8:
    case T::BOOL: return 1;
    default: return 0;
  }
}

// Little-endian raw bytes (ONNX's layout; x86 and arm64 hosts are little-endian too).
int64_t raw_int(const std::string& raw, size_t index, size_t width, bool is_signed) {
  uint64_t bits = 0;
  std::memcpy(&bits, raw.data() + index * width, width);
  if (is_signed && width < 8 && (bits >> (8 * width - 1)) != 0) bits |= ~uint64_t{0} << (8 * width);
  return static_cast<int64_t>(bits);
}

// The values of a small constant TensorProto (integers or floats), when they are stored inline.
void read_values(const onnx::TensorProto& t, uint64_t count, Tensor& out) {
  using T = onnx::TensorProto;
  if (count > kMaxValues) return;
  const int32_t type = t.data_type();
  const size_t width = raw_width(type);
  const bool raw = t.has_raw_data() && width > 0 && t.raw_data().size() == count * width;
  if (is_int_type(type)) {
    std::vector<int64_t> values;
    const bool is_signed = type == T::INT64 || type == T::INT32 || type == T::INT16 || type == T::INT8;
    if (raw) {
      for (size_t i = 0; i < count; ++i) values.push_back(raw_int(t.raw_data(), i, width, is_signed));
    } else if (type == T::INT64 && static_cast<uint64_t>(t.int64_data_size()) == count) {
      values.assign(t.int64_data().begin(), t.int64_data().end());
    } else if (type == T::UINT64 && static_cast<uint64_t>(t.uint64_data_size()) == count) {
      for (uint64_t v : t.uint64_data()) values.push_back(static_cast<int64_t>(v));
    } else if (static_cast<uint64_t>(t.int32_data_size()) == count) {
      values.assign(t.int32_data().begin(), t.int32_data().end());
    } else {
      return;
    }
    out.ints = std::move(values);
  } else if (type == T::FLOAT || type == T::DOUBLE) {
    std::vector<double> values;
    if (raw && type == T::FLOAT) {
      for (size_t i = 0; i < count; ++i) {
        float f = 0;
        std::memcpy(&f, t.raw_data().data() + i * 4, 4);
        values.push_back(f);
      }
    } else if (raw) {
      for (size_t i = 0; i < count; ++i) {
        double d = 0;
        std::memcpy(&d, t.raw_data().data() + i * 8, 8);
        values.push_back(d);
      }
    } else if (type == T::FLOAT && static_cast<uint64_t>(t.float_data_size()) == count) {
      values.assign(t.float_data().begin(), t.float_data().end());
    } else if (type == T::DOUBLE && static_cast<uint64_t>(t.double_data_size()) == count) {
      values.assign(t.double_data().begin(), t.double_data().end());
    } else {
      return;
    }
    out.floats = std::move(values);
  }
}

// The ONNX operator types the importer maps (default domain). Shape-free reasons to refuse a node that
// has a supported type (dilated windows, 3-D convolutions) are found by unsupported_label().
const std::set<std::string>& supported_types() {
  static const std::set<std::string> types{
      // compute
      "Conv", "Gemm", "MatMul", "MaxPool", "AveragePool", "LpPool", "GlobalAveragePool", "GlobalMaxPool",
      "Softmax", "LogSoftmax", "LayerNormalization", "RMSNormalization", "Resize", "Upsample",
      "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceL2", "ReduceProd",
      // elementwise
      "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum", "Mean", "Relu", "LeakyRelu", "PRelu", "Clip",
      "Sigmoid", "HardSigmoid", "HardSwish", "Tanh", "Gelu", "Erf", "Exp", "Log", "Sqrt", "Reciprocal", "Neg",
      "Abs", "Softplus", "Elu", "Selu", "Mish", "Floor", "Ceil", "Round", "Sign",
      // data movement and constants
      "Identity", "Dropout", "Cast", "CastLike", "BatchNormalization", "Flatten", "Reshape", "Transpose",
      "Squeeze", "Unsqueeze", "Concat", "Split", "Slice", "Gather", "Expand", "Tile", "Pad", "DepthToSpace",
      "SpaceToDepth", "Shape", "Size", "Constant", "ConstantOfShape", "Range"};
  return types;
}

const onnx::AttributeProto* find_attribute(const Node& node, const char* name) {
  for (const auto& attribute : node.attribute()) {
    if (attribute.name() == name) return &attribute;
  }
  return nullptr;
}

std::string node_label(const Node& node, size_t index) {
  if (!node.name().empty()) return node.name();
  if (node.output_size() > 0 && !node.output(0).empty()) return node.output(0);
  return node.op_type() + "_" + std::to_string(index);
}

class GraphImporter {
 public:
  GraphImporter(const onnx::GraphProto& graph, const std::string& file, const OnnxImportOptions& options,
                int64_t opset)
      : graph_(graph), file_(file), options_(options), opset_(opset) {}

  Workload run() {
    add_initializers();
    add_graph_inputs();
    index_graph();
    std::vector<std::pair<std::string, int>> unsupported;  // label, count; in order of first appearance
    std::vector<std::string> labels(static_cast<size_t>(graph_.node_size()));
    for (int i = 0; i < graph_.node_size(); ++i) {
      labels[static_cast<size_t>(i)] = unsupported_label(graph_.node(i));
      if (labels[static_cast<size_t>(i)].empty()) continue;
      auto it = std::find_if(unsupported.begin(), unsupported.end(),
                             [&](const auto& entry) { return entry.first == labels[static_cast<size_t>(i)]; });
      if (it == unsupported.end()) {
        unsupported.emplace_back(labels[static_cast<size_t>(i)], 1);
      } else {
        ++it->second;
      }
    }
    std::string list;
    int total = 0;
    for (const auto& [label, count] : unsupported) {
      list += (list.empty() ? "" : ", ") + label + " x" + std::to_string(count);
      total += count;
    }
    if (!unsupported.empty() && !options_.allow_unsupported) {
      throw InputError(file_, "",
                       "unsupported operators: " + list + "; expected only the operators npusim maps "
                       "(traces/README.md), or --allow-unsupported to skip these with a warning");
    }
    for (int i = 0; i < graph_.node_size(); ++i) {
      const Node& node = graph_.node(i);
      where_ = "node '" + node_label(node, static_cast<size_t>(i)) + "' (" + node.op_type() + ")";
      label_ = node_label(node, static_cast<size_t>(i));
      if (labels[static_cast<size_t>(i)].empty()) {
        import_node(node);
      } else {
        skip_node(node);
      }
    }
    if (ops_.empty()) {
      throw InputError(file_, "", "expected at least one compute operator in the graph, found none");
    }
    Workload workload;
    workload.ops = std::move(ops_);
    if (total > 0) {
      workload.warnings.push_back("skipped " + std::to_string(total) + " unsupported ONNX operator" +
                                  (total == 1 ? "" : "s") + " (--allow-unsupported): " + list +
                                  "; their cost is not simulated");
    }
    return workload;
  }

 private:
  // ---- errors and attributes -------------------------------------------------------------------------
  [[noreturn]] void fail(const std::string& message) const { throw InputError(file_, where_, message); }

  int64_t attr_int(const Node& node, const char* name, int64_t fallback) const {
    const auto* a = find_attribute(node, name);
    return a == nullptr ? fallback : a->i();
  }
  float attr_float(const Node& node, const char* name, float fallback) const {
    const auto* a = find_attribute(node, name);
    return a == nullptr ? fallback : a->f();
  }
  std::string attr_string(const Node& node, const char* name, const std::string& fallback) const {
    const auto* a = find_attribute(node, name);
    return a == nullptr ? fallback : a->s();
  }
  std::optional<Dims> attr_ints(const Node& node, const char* name) const {
    const auto* a = find_attribute(node, name);
    if (a == nullptr) return std::nullopt;
    return Dims(a->ints().begin(), a->ints().end());
  }

  // ---- tensors -----------------------------------------------------------------------------------------
  uint64_t elements(const Dims& dims, const std::string& what) const {
    uint64_t total = 1;
    for (int64_t d : dims) {
      if (d < 0 || d > kMaxDim) fail(what + " has dimension " + std::to_string(d) + "; expected 0 to 2^31");
      if (d != 0 && total > kMaxElements / static_cast<uint64_t>(d)) {
        fail(what + " " + dims_text(dims) + " has too many elements (expected below 2^50)");
      }
      total *= static_cast<uint64_t>(d);
    }
    return total;
  }

  void add_initializers() {
    for (const auto& t : graph_.initializer()) {
      Tensor tensor;
      tensor.known = true;
      tensor.constant = true;
      tensor.dims.assign(t.dims().begin(), t.dims().end());
      where_ = "initializer '" + t.name() + "'";
      const uint64_t count = elements(tensor.dims, "initializer");
      read_values(t, count, tensor);
      tensors_[t.name()] = std::move(tensor);
    }
    for (const auto& t : graph_.sparse_initializer()) {
      Tensor tensor;
      tensor.known = true;
      tensor.constant = true;
      tensor.dims.assign(t.dims().begin(), t.dims().end());
      where_ = "initializer '" + t.values().name() + "'";
      elements(tensor.dims, "initializer");
      tensors_[t.values().name()] = std::move(tensor);
    }
  }

  void add_graph_inputs() {
    for (const auto& input : graph_.input()) {
      if (tensors_.count(input.name())) continue;  // an initializer listed as an input (IR version < 4)
      where_ = "input '" + input.name() + "'";
      if (!input.type().has_tensor_type() || !input.type().tensor_type().has_shape()) {
        fail("expected a tensor with a static shape, found no shape");
      }
      Tensor tensor;
      tensor.known = true;
      const auto& shape = input.type().tensor_type().shape();
      for (int d = 0; d < shape.dim_size(); ++d) {
        const auto& dim = shape.dim(d);
        if (dim.has_dim_value() && dim.dim_value() > 0) {
          if (d == 0 && options_.batch > 0 && dim.dim_value() != options_.batch) {
            fail("dim 0 is fixed at " + std::to_string(dim.dim_value()) + "; --batch " +
                 std::to_string(options_.batch) + " can only set a dynamic batch dimension (export the model "
                 "with a dynamic batch axis or drop --batch)");
          }
          tensor.dims.push_back(dim.dim_value());
        } else if (d == 0 && options_.batch > 0 && !dim.has_dim_value()) {
          tensor.dims.push_back(options_.batch);
        } else if (dim.has_dim_value()) {
          fail("dim " + std::to_string(d) + " is " + std::to_string(dim.dim_value()) +
               "; expected a positive size");
        } else {
          const std::string symbol = dim.has_dim_param() ? " ('" + dim.dim_param() + "')" : "";
          fail("dim " + std::to_string(d) + symbol + " is dynamic; expected static shapes: export the model "
               "with fixed input sizes" + (d == 0 ? " or pass --batch N for a dynamic batch dimension" : ""));
        }
      }
      elements(tensor.dims, "the input");
      tensors_[input.name()] = std::move(tensor);
    }
  }

  // Consumers per tensor (activation fusion needs single-consumer outputs) and value_info shapes.
  void index_graph() {
    for (const auto& node : graph_.node()) {
      for (const auto& name : node.input()) {
        if (!name.empty()) ++consumers_[name];
      }
    }
    for (const auto& output : graph_.output()) {
      ++consumers_[output.name()];
      graph_outputs_.insert(output.name());
    }
    auto add_info = [this](const onnx::ValueInfoProto& info) {
      if (!info.type().has_tensor_type() || !info.type().tensor_type().has_shape()) return;
      Dims dims;
      for (const auto& dim : info.type().tensor_type().shape().dim()) {
        if (!dim.has_dim_value() || dim.dim_value() < 0 || dim.dim_value() > kMaxDim) return;
        dims.push_back(dim.dim_value());
      }
      value_info_[info.name()] = dims;
    };
    for (const auto& info : graph_.value_info()) add_info(info);
    for (const auto& info : graph_.output()) add_info(info);
  }

  bool has_input(const Node& node, int index) const {
    return index < node.input_size() && !node.input(index).empty();
  }

  const Tensor& input(const Node& node, int index) const {
    if (!has_input(node, index)) fail("expected input " + std::to_string(index) + ", found none");
    const std::string& name = node.input(index);
    const auto it = tensors_.find(name);
    if (it == tensors_.end()) {
      fail("input '" + name + "' is not produced by an earlier node, a graph input or an initializer "
           "(expected nodes in topological order)");
    }
    if (!it->second.known) {
      fail("input '" + name + "' has no known shape: it comes from skipped unsupported node '" +
           it->second.skipped_by + "' and the model gives no value_info for it");
    }
    return it->second;
  }

  const Tensor* optional_input(const Node& node, int index) const {
    return has_input(node, index) ? &input(node, index) : nullptr;
  }

  const std::vector<int64_t>& constant_ints(const Node& node, int index, const char* what) const {
    const Tensor& t = input(node, index);
    if (!t.ints) {
      fail(std::string("expected a constant ") + what + " (input '" + node.input(index) +
           "'), found a value computed at run time");
    }
    return *t.ints;
  }

  void set_output(const Node& node, int index, Tensor tensor) {
    if (index >= node.output_size() || node.output(index).empty()) return;
    tensor.known = true;
    elements(tensor.dims, "output '" + node.output(index) + "'");
    if (tensor.ints && tensor.ints->size() > kMaxValues) tensor.ints.reset();
    if (tensor.floats && tensor.floats->size() > kMaxValues) tensor.floats.reset();
    tensors_[node.output(index)] = std::move(tensor);
  }

  static Tensor alias(const Tensor& in, Dims dims) {
    Tensor out;
    out.dims = std::move(dims);
    out.producers = in.producers;
    out.constant = in.constant;
    return out;
  }

  int64_t axis_index(int64_t axis, size_t rank, const char* what) const {
    const int64_t r = static_cast<int64_t>(rank);
    if (axis < -r || axis >= r) {
      fail(std::string(what) + " " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
    }
    return axis < 0 ? axis + r : axis;
  }

  // ---- IR operators ------------------------------------------------------------------------------------
  uint32_t dim32(int64_t value, const char* what) const {
    if (value < 1 || value > kMaxDim) fail(std::string("expected a positive ") + what + ", got " + std::to_string(value));
    return static_cast<uint32_t>(value);
  }

  // Batch items and elements per item of an activation: the leading dimension is the batch (rank >= 2).
  std::pair<uint32_t, uint64_t> split_batch(const Dims& dims) const {
    const uint64_t total = elements(dims, "tensor");
    if (total == 0) fail("expected a non-empty tensor, got shape " + dims_text(dims));
    if (dims.size() < 2) return {1, total};
    return {dim32(dims[0], "batch dimension"), total / static_cast<uint64_t>(dims[0])};
  }

  // Appends an IR operator reading the non-constant `activations`; returns its output tensor (fusable).
  Tensor emit(Operator op, const std::vector<const Tensor*>& activations, Dims out_dims) {
    op.name = label_;
    op.dtype = options_.dtype;
    std::set<uint32_t> seen;
    for (const Tensor* t : activations) {
      if (t == nullptr || t->constant) continue;
      for (uint32_t producer : t->producers) {
        if (seen.insert(producer).second) op.inputs.push_back(producer);
      }
    }
    ops_.push_back(std::move(op));
    Tensor out;
    out.dims = std::move(out_dims);
    out.producers = {static_cast<uint32_t>(ops_.size() - 1)};
    out.fusable_op = static_cast<int>(ops_.size() - 1);
    return out;
  }

  // ---- windows: kernel, strides and pads of convolutions and pools ----------------------------------
  struct Window {
    Dims kernel, strides, begin, end;
  };

  Window window(const Node& node, const Dims& spatial, const Dims& kernel, bool ceil_mode) const {
    const size_t rank = spatial.size();
    Window w;
    w.kernel = kernel;
    w.strides = attr_ints(node, "strides").value_or(Dims(rank, 1));
    if (w.kernel.size() != rank || w.strides.size() != rank) {
      fail("expected kernel_shape and strides of " + std::to_string(rank) + " values, got " +
           dims_text(w.kernel) + " and " + dims_text(w.strides));
    }
    for (size_t i = 0; i < rank; ++i) {
      if (w.kernel[i] < 1 || w.kernel[i] > kMaxDim || w.strides[i] < 1 || w.strides[i] > kMaxDim) {
        fail("expected positive kernel_shape and strides, got " + dims_text(w.kernel) + " and " + dims_text(w.strides));
      }
    }
    const std::string auto_pad = attr_string(node, "auto_pad", "NOTSET");
    w.begin.assign(rank, 0);
    w.end.assign(rank, 0);
    if (auto_pad == "SAME_UPPER" || auto_pad == "SAME_LOWER") {
      for (size_t i = 0; i < rank; ++i) {
        const int64_t out = (spatial[i] + w.strides[i] - 1) / w.strides[i];
        const int64_t total = std::max<int64_t>(0, (out - 1) * w.strides[i] + w.kernel[i] - spatial[i]);
        w.begin[i] = auto_pad == "SAME_UPPER" ? total / 2 : total - total / 2;
        w.end[i] = total - w.begin[i];
      }
    } else if (auto_pad == "NOTSET") {
      const Dims pads = attr_ints(node, "pads").value_or(Dims(2 * rank, 0));
      if (pads.size() != 2 * rank) fail("expected " + std::to_string(2 * rank) + " pads, got " + dims_text(pads));
      for (size_t i = 0; i < rank; ++i) {
        if (pads[i] < 0 || pads[i + rank] < 0 || pads[i] > kMaxDim || pads[i + rank] > kMaxDim) {
          fail("expected non-negative pads, got " + dims_text(pads));
        }
        w.begin[i] = pads[i];
        w.end[i] = pads[i + rank];
      }
    } else if (auto_pad != "VALID") {
      fail("auto_pad '" + auto_pad + "' is not one of: NOTSET, SAME_UPPER, SAME_LOWER, VALID");
    }
    for (size_t i = 0; i < rank; ++i) {
      const int64_t padded = spatial[i] + w.begin[i] + w.end[i];
      if (padded < w.kernel[i] || padded > kMaxDim) {
        fail("expected a kernel " + dims_text(w.kernel) + " no larger than the padded input " +
             dims_text(spatial) + " + pads");
      }
      if (ceil_mode) {  // ceil((padded - k) / s) + 1 windows, the last starting inside input + begin pad
        int64_t out = (padded - w.kernel[i] + w.strides[i] - 1) / w.strides[i] + 1;
        if ((out - 1) * w.strides[i] >= spatial[i] + w.begin[i]) --out;
        w.end[i] += std::max<int64_t>(0, (out - 1) * w.strides[i] + w.kernel[i] - padded);
      }
    }
    return w;
  }

  static int64_t window_out(int64_t in, const Window& w, size_t i) {
    return (in + w.begin[i] + w.end[i] - w.kernel[i]) / w.strides[i] + 1;
  }

  // ---- handlers ----------------------------------------------------------------------------------------
  void conv(const Node& node) {
    const Tensor& x = input(node, 0);
    const Tensor& weight = input(node, 1);
    const size_t rank = x.dims.size();
    if (rank != 3 && rank != 4) fail("expected a 1-D or 2-D convolution input [N, C, (H,) W], got " + dims_text(x.dims));
    if (weight.dims.size() != rank) {
      fail("expected a weight of rank " + std::to_string(rank) + ", got " + dims_text(weight.dims));
    }
    const int64_t groups = attr_int(node, "group", 1);
    const int64_t channels = x.dims[1];
    const int64_t filters = weight.dims[0];
    if (groups < 1 || groups > channels || channels % groups != 0 || filters % groups != 0 || weight.dims[1] * groups != channels) {
      fail("expected weight " + dims_text(weight.dims) + " to take input channels / group = " +
           std::to_string(channels) + " / " + std::to_string(groups) + " per filter");
    }
    const Dims spatial(x.dims.begin() + 2, x.dims.end());
    const Dims kernel = attr_ints(node, "kernel_shape").value_or(Dims(weight.dims.begin() + 2, weight.dims.end()));
    if (kernel != Dims(weight.dims.begin() + 2, weight.dims.end())) {
      fail("kernel_shape " + dims_text(kernel) + " does not match weight " + dims_text(weight.dims));
    }
    const Window w = window(node, spatial, kernel, false);
    const size_t wi = rank - 3;  // a 1-D convolution has height 1
    ConvParams p;
    p.in_c = dim32(channels, "channel count");
    p.out_c = dim32(filters, "filter count");
    p.groups = static_cast<uint32_t>(groups);
    p.in_w = dim32(spatial[wi], "width");
    p.kernel_w = static_cast<uint32_t>(w.kernel[wi]);
    p.stride_w = static_cast<uint32_t>(w.strides[wi]);
    p.pad_left = static_cast<uint32_t>(w.begin[wi]);
    p.pad_right = static_cast<uint32_t>(w.end[wi]);
    if (rank == 4) {
      p.in_h = dim32(spatial[0], "height");
      p.kernel_h = static_cast<uint32_t>(w.kernel[0]);
      p.stride_h = static_cast<uint32_t>(w.strides[0]);
      p.pad_top = static_cast<uint32_t>(w.begin[0]);
      p.pad_bottom = static_cast<uint32_t>(w.end[0]);
    }
    p.bias = has_input(node, 2);
    Operator op;
    op.kind = OpKind::kConv2d;
    op.batch = dim32(x.dims[0], "batch dimension");
    op.params = p;
    Dims out{x.dims[0], filters};
    for (size_t i = 0; i < spatial.size(); ++i) out.push_back(window_out(spatial[i], w, i));
    set_output(node, 0, emit(op, {&x}, out));
  }

  void pool(const Node& node, OpKind kind) {
    const Tensor& x = input(node, 0);
    const size_t rank = x.dims.size();
    if (rank != 3 && rank != 4) fail("expected a 1-D or 2-D pooling input [N, C, (H,) W], got " + dims_text(x.dims));
    const Dims spatial(x.dims.begin() + 2, x.dims.end());
    const auto kernel = attr_ints(node, "kernel_shape");
    if (!kernel) fail("expected a kernel_shape attribute");
    const Window w = window(node, spatial, *kernel, attr_int(node, "ceil_mode", 0) != 0);
    const size_t wi = rank - 3;
    PoolParams p;
    p.channels = dim32(x.dims[1], "channel count");
    p.in_w = dim32(spatial[wi], "width");
    p.kernel_w = static_cast<uint32_t>(w.kernel[wi]);
    p.stride_w = static_cast<uint32_t>(w.strides[wi]);
    p.pad_left = static_cast<uint32_t>(w.begin[wi]);
    p.pad_right = static_cast<uint32_t>(w.end[wi]);
    if (rank == 4) {
      p.in_h = dim32(spatial[0], "height");
      p.kernel_h = static_cast<uint32_t>(w.kernel[0]);
      p.stride_h = static_cast<uint32_t>(w.strides[0]);
      p.pad_top = static_cast<uint32_t>(w.begin[0]);
      p.pad_bottom = static_cast<uint32_t>(w.end[0]);
    }
    Operator op;
    op.kind = kind;
    op.batch = dim32(x.dims[0], "batch dimension");
    op.params = p;
    Dims out{x.dims[0], x.dims[1]};
    for (size_t i = 0; i < spatial.size(); ++i) out.push_back(window_out(spatial[i], w, i));
    Tensor result = emit(op, {&x}, out);
    if (node.output_size() > 1) set_output(node, 1, alias(result, out));  // MaxPool's Indices
    set_output(node, 0, std::move(result));
  }

  void global_pool(const Node& node, OpKind kind) {
    const Tensor& x = input(node, 0);
    const size_t rank = x.dims.size();
    if (rank != 3 && rank != 4) fail("expected a pooling input [N, C, (H,) W], got " + dims_text(x.dims));
    PoolParams p;
    p.channels = dim32(x.dims[1], "channel count");
    p.in_h = p.kernel_h = rank == 4 ? dim32(x.dims[2], "height") : 1;
    p.in_w = p.kernel_w = dim32(x.dims[rank - 1], "width");
    p.global = true;
    Operator op;
    op.kind = kind;
    op.batch = dim32(x.dims[0], "batch dimension");
    op.params = p;
    Dims out{x.dims[0], x.dims[1]};
    out.resize(rank, 1);
    set_output(node, 0, emit(op, {&x}, out));
  }

  // A weight matrix times activations: a fully connected layer; the leading dimension of the
  // activation is the batch and the rest are rows.
  Tensor fully_connected(const Tensor& a, const Dims& a_dims, uint64_t n, uint64_t k, bool bias, Dims out) {
    MatMulParams p;
    p.n = n;
    p.k = k;
    p.bias = bias;
    p.b_is_weight = true;
    Operator op;
    op.kind = OpKind::kFullyConnected;
    uint64_t rows = 1;
    if (a_dims.size() >= 2) {
      op.batch = dim32(a_dims[0], "batch dimension");
      for (size_t i = 1; i + 1 < a_dims.size(); ++i) rows *= static_cast<uint64_t>(a_dims[i]);
    }
    p.m = rows;
    op.params = p;
    return emit(op, {&a}, std::move(out));
  }

  void gemm(const Node& node) {
    const Tensor& a = input(node, 0);
    const Tensor& b = input(node, 1);
    if (a.dims.size() != 2 || b.dims.size() != 2) {
      fail("expected 2-D A and B, got " + dims_text(a.dims) + " and " + dims_text(b.dims));
    }
    const bool trans_a = attr_int(node, "transA", 0) != 0;
    const bool trans_b = attr_int(node, "transB", 0) != 0;
    const int64_t m = trans_a ? a.dims[1] : a.dims[0];
    const int64_t k = trans_a ? a.dims[0] : a.dims[1];
    const int64_t kb = trans_b ? b.dims[1] : b.dims[0];
    const int64_t n = trans_b ? b.dims[0] : b.dims[1];
    if (k != kb) fail("expected A's K (" + std::to_string(k) + ") to equal B's K (" + std::to_string(kb) + ")");
    if (m < 1 || n < 1 || k < 1) fail("expected non-empty A and B");
    const bool bias = has_input(node, 2);
    if (b.constant && !a.constant) {
      set_output(node, 0, fully_connected(a, Dims{m, k}, static_cast<uint64_t>(n), static_cast<uint64_t>(k), bias,
                                          Dims{m, n}));
      return;
    }
    MatMulParams p;
    p.m = static_cast<uint64_t>(m);
    p.n = static_cast<uint64_t>(n);
    p.k = static_cast<uint64_t>(k);
    p.b_is_weight = false;
    p.bias = bias;
    Operator op;
    op.kind = OpKind::kMatMul;
    op.params = p;
    set_output(node, 0, emit(op, {&a, &b}, Dims{m, n}));
  }

  void matmul(const Node& node) {
    const Tensor& a = input(node, 0);
    const Tensor& b = input(node, 1);
    if (a.dims.empty() || b.dims.empty()) fail("expected operands of rank >= 1");
    // numpy.matmul: a 1-D A is a row, a 1-D B a column, removed from the output again.
    const Dims ad = a.dims.size() == 1 ? Dims{1, a.dims[0]} : a.dims;
    const Dims bd = b.dims.size() == 1 ? Dims{b.dims[0], 1} : b.dims;
    const int64_t m = ad[ad.size() - 2], k = ad.back(), kb = bd[bd.size() - 2], n = bd.back();
    if (k != kb) {
      fail("expected A " + dims_text(a.dims) + " and B " + dims_text(b.dims) + " to agree on K");
    }
    const Dims batch_dims = broadcast({Dims(ad.begin(), ad.end() - 2), Dims(bd.begin(), bd.end() - 2)});
    Dims out = batch_dims;
    if (a.dims.size() > 1) out.push_back(m);
    if (b.dims.size() > 1) out.push_back(n);
    if (m < 1 || n < 1 || k < 1) fail("expected non-empty operands");
    if (b.constant && !a.constant && b.dims.size() == 2) {
      set_output(node, 0, fully_connected(a, a.dims.size() == 1 ? Dims{1, k} : a.dims, static_cast<uint64_t>(n),
                                          static_cast<uint64_t>(k), false, out));
      return;
    }
    MatMulParams p;
    p.m = static_cast<uint64_t>(m);
    p.n = static_cast<uint64_t>(n);
    p.k = static_cast<uint64_t>(k);
    p.b_is_weight = false;
    Operator op;
    op.kind = OpKind::kMatMul;
    const uint64_t batch = elements(batch_dims, "batch dimensions");
    if (batch == 0 || batch > static_cast<uint64_t>(kMaxDim)) fail("expected 1 to 2^31 batched matrices");
    op.batch = static_cast<uint32_t>(batch);
    op.params = p;
    set_output(node, 0, emit(op, {&a, &b}, out));
  }

  Dims broadcast(const std::vector<Dims>& shapes) const {
    size_t rank = 0;
    for (const auto& s : shapes) rank = std::max(rank, s.size());
    Dims out(rank, 1);
    for (const auto& s : shapes) {
      for (size_t i = 0; i < s.size(); ++i) {
        int64_t& o = out[rank - s.size() + i];
        if (s[i] == o || s[i] == 1) continue;
        if (o != 1) {
          std::string text;
          for (const auto& shape : shapes) text += (text.empty() ? "" : " and ") + dims_text(shape);
          fail("expected broadcastable shapes, got " + text);
        }
        o = s[i];
      }
    }
    return out;
  }

  bool can_fuse(const Node& node, const Tensor& x) const {
    if (x.fusable_op < 0) return false;
    const Operator& producer = ops_[static_cast<size_t>(x.fusable_op)];
    const bool kind_ok = producer.kind == OpKind::kConv2d || producer.kind == OpKind::kFullyConnected ||
                         producer.kind == OpKind::kMatMul || producer.kind == OpKind::kElementwise;
    const auto consumers = consumers_.find(node.input(0));
    return kind_ok && producer.activation == Activation::kNone && consumers != consumers_.end() &&
           consumers->second == 1 && graph_outputs_.count(node.input(0)) == 0;
  }

  // One activation operand: fused into its producer when it is that producer's only consumer, else an
  // elementwise operator of its own.
  void unary(const Node& node, EltwiseKind kind, std::optional<Activation> activation) {
    const Tensor& x = input(node, 0);
    if (x.constant) {
      set_output(node, 0, alias(x, x.dims));
      return;
    }
    if (activation && can_fuse(node, x)) {
      ops_[static_cast<size_t>(x.fusable_op)].activation = *activation;
      Tensor out = alias(x, x.dims);
      set_output(node, 0, std::move(out));
      return;
    }
    set_output(node, 0, eltwise(kind, {&x}, x.dims));
  }

  Tensor eltwise(EltwiseKind kind, const std::vector<const Tensor*>& operands, const Dims& out) {
    const auto [batch, per_item] = split_batch(out);
    EltwiseParams p;
    p.kind = kind;
    p.elements = per_item;
    p.inputs = 0;
    for (const Tensor* t : operands) p.inputs += t->constant ? 0 : 1;
    p.inputs = std::max<uint32_t>(p.inputs, 1);
    Operator op;
    op.kind = OpKind::kElementwise;
    op.batch = batch;
    op.params = p;
    return emit(op, operands, out);
  }

  void binary(const Node& node, EltwiseKind kind) {
    std::vector<const Tensor*> operands;
    std::vector<Dims> shapes;
    for (int i = 0; i < node.input_size(); ++i) {
      if (!has_input(node, i)) continue;
      operands.push_back(&input(node, i));
      shapes.push_back(operands.back()->dims);
    }
    if (operands.empty()) fail("expected at least one input");
    const Dims out = broadcast(shapes);
    const bool all_constant =
        std::all_of(operands.begin(), operands.end(), [](const Tensor* t) { return t->constant; });
    if (all_constant) {
      Tensor result;
      result.dims = out;
      result.constant = true;
      result.ints = fold_ints(node.op_type(), operands, elements(out, "output"));
      set_output(node, 0, std::move(result));
      return;
    }
    set_output(node, 0, eltwise(kind, operands, out));
  }

  // Integer arithmetic on small constants (shape computations such as Shape -> Gather -> Mul).
  static std::optional<std::vector<int64_t>> fold_ints(const std::string& type, const std::vector<const Tensor*>& in,
                                                       uint64_t count) {
    if (in.size() != 2 || !in[0]->ints || !in[1]->ints || count > kMaxValues) return std::nullopt;
    const auto& a = *in[0]->ints;
    const auto& b = *in[1]->ints;
    if (a.empty() || b.empty() || (a.size() != count && a.size() != 1) || (b.size() != count && b.size() != 1)) {
      return std::nullopt;
    }
    std::vector<int64_t> out;
    for (size_t i = 0; i < count; ++i) {
      const int64_t x = a[a.size() == 1 ? 0 : i];
      const int64_t y = b[b.size() == 1 ? 0 : i];
      int64_t r = 0;
      bool overflow = false;
      if (type == "Add") {
        overflow = __builtin_add_overflow(x, y, &r);
      } else if (type == "Sub") {
        overflow = __builtin_sub_overflow(x, y, &r);
      } else if (type == "Mul") {
        overflow = __builtin_mul_overflow(x, y, &r);
      } else if (type == "Div" && y != 0 && !(y == -1 && x == std::numeric_limits<int64_t>::min())) {
        r = x / y;
      } else {
        return std::nullopt;
      }
      if (overflow) return std::nullopt;
      out.push_back(r);
    }
    return out;
  }

  // Softmax and normalisations: rows of `width` elements, the reduction along the row.
  void rows(const Node& node, OpKind kind, int64_t default_axis, bool coerce_to_2d) {
    const Tensor& x = input(node, 0);
    if (x.dims.empty()) fail("expected an input of rank >= 1");
    const size_t axis = static_cast<size_t>(axis_index(attr_int(node, "axis", default_axis), x.dims.size(), "axis"));
    uint64_t width = static_cast<uint64_t>(x.dims[axis]);
    if (coerce_to_2d) {  // opset < 13 softmax and LayerNormalization: the row is dims[axis:]
      width = elements(Dims(x.dims.begin() + static_cast<int64_t>(axis), x.dims.end()), "row");
    }
    const bool batch_outside = axis > 0 && x.dims.size() >= 2;
    const uint64_t total = elements(x.dims, "input");
    if (total == 0 || width == 0) fail("expected a non-empty input, got " + dims_text(x.dims));
    RowParams p;
    p.width = width;
    Operator op;
    op.kind = kind;
    op.batch = batch_outside ? dim32(x.dims[0], "batch dimension") : 1;
    p.rows = total / width / op.batch;
    op.params = p;
    Tensor result = emit(op, {&x}, x.dims);
    for (int i = 1; i < node.output_size(); ++i) {  // LayerNormalization's Mean and InvStdDev
      Dims stats(x.dims.begin(), x.dims.begin() + static_cast<int64_t>(axis));
      stats.resize(x.dims.size(), 1);
      set_output(node, i, alias(result, stats));
    }
    set_output(node, 0, std::move(result));
  }

  std::optional<Dims> axes_of(const Node& node, int input_index) const {
    if (has_input(node, input_index)) return constant_ints(node, input_index, "axes");
    return attr_ints(node, "axes");
  }

  void reduce(const Node& node) {
    const Tensor& x = input(node, 0);
    const bool keep = attr_int(node, "keepdims", 1) != 0;
    // Axes became an input in opset 13 for ReduceSum and in opset 18 for the others.
    const bool axes_input = node.op_type() == "ReduceSum" ? opset_ >= 13 : opset_ >= 18;
    const auto axes = axes_input ? axes_of(node, 1) : attr_ints(node, "axes");
    std::vector<bool> reduced(x.dims.size(), !axes || axes->empty());
    if (axes) {
      for (int64_t a : *axes) reduced[static_cast<size_t>(axis_index(a, x.dims.size(), "axis"))] = true;
    }
    Dims out;
    for (size_t i = 0; i < x.dims.size(); ++i) {
      if (!reduced[i]) {
        out.push_back(x.dims[i]);
      } else if (keep) {
        out.push_back(1);
      }
    }
    if (x.constant) {
      set_output(node, 0, alias(x, out));
      return;
    }
    // Costed as an elementwise pass over the input (its reads are exact; the writes are overstated).
    Tensor result = eltwise(EltwiseKind::kAdd, {&x}, x.dims);
    result.dims = out;
    result.fusable_op = -1;
    set_output(node, 0, std::move(result));
  }

  void resize(const Node& node) {
    const Tensor& x = input(node, 0);
    Dims out = x.dims;
    const int scales_input = node.op_type() == "Upsample" || opset_ < 11 ? 1 : 2;  // Resize-11 added roi
    const Tensor* sizes = node.op_type() == "Resize" ? optional_input(node, 3) : nullptr;
    const Tensor* scales = optional_input(node, scales_input);
    if (sizes != nullptr && sizes->ints && !sizes->ints->empty()) {
      if (sizes->ints->size() != out.size()) fail("expected " + std::to_string(out.size()) + " sizes");
      out = *sizes->ints;
    } else if (scales != nullptr && scales->floats && !scales->floats->empty()) {
      if (scales->floats->size() != out.size()) fail("expected " + std::to_string(out.size()) + " scales");
      for (size_t i = 0; i < out.size(); ++i) {
        const double scaled = static_cast<double>(out[i]) * (*scales->floats)[i];
        if (!(scaled >= 1 && scaled <= static_cast<double>(kMaxDim))) fail("expected scales giving positive sizes");
        out[i] = static_cast<int64_t>(scaled);
      }
    } else if (const auto attr_scales = find_attribute(node, "scales"); attr_scales != nullptr) {
      if (attr_scales->floats_size() != static_cast<int>(out.size())) fail("expected one scale per dimension");
      for (size_t i = 0; i < out.size(); ++i) {
        const double scaled = static_cast<double>(out[i]) * attr_scales->floats(static_cast<int>(i));
        if (!(scaled >= 1 && scaled <= static_cast<double>(kMaxDim))) fail("expected scales giving positive sizes");
        out[i] = static_cast<int64_t>(scaled);
      }
    } else {
      fail("expected constant scales or sizes");
    }
    // A copy that writes the resized tensor, as the zoo models upsampling.
    set_output(node, 0, eltwise(EltwiseKind::kCopy, {&x}, out));
  }

  void gather(const Node& node) {
    const Tensor& data = input(node, 0);
    const Tensor& indices = input(node, 1);
    if (data.dims.empty()) fail("expected data of rank >= 1");
    const size_t axis = static_cast<size_t>(axis_index(attr_int(node, "axis", 0), data.dims.size(), "axis"));
    Dims out(data.dims.begin(), data.dims.begin() + static_cast<int64_t>(axis));
    out.insert(out.end(), indices.dims.begin(), indices.dims.end());
    out.insert(out.end(), data.dims.begin() + static_cast<int64_t>(axis) + 1, data.dims.end());
    if (data.constant && !indices.constant && data.dims.size() == 2 && axis == 0) {  // an embedding table
      EmbeddingParams p;
      const auto [batch, tokens] = split_batch(indices.dims.empty() ? Dims{1} : indices.dims);
      p.tokens = tokens;
      p.table_rows = static_cast<uint64_t>(dim32(data.dims[0], "table size"));
      p.width = static_cast<uint64_t>(dim32(data.dims[1], "embedding width"));
      Operator op;
      op.kind = OpKind::kEmbedding;
      op.batch = batch;
      op.params = p;
      Tensor result = emit(op, {&indices}, out);
      result.fusable_op = -1;
      set_output(node, 0, std::move(result));
      return;
    }
    Tensor result = alias(data, out);
    result.constant = data.constant && indices.constant;
    if (!indices.constant) {
      for (uint32_t producer : indices.producers) result.producers.push_back(producer);
    }
    if (data.ints && indices.ints && data.dims.size() == 1) {
      std::vector<int64_t> values;
      for (int64_t i : *indices.ints) {
        const int64_t size = static_cast<int64_t>(data.ints->size());
        if (i < -size || i >= size) fail("index " + std::to_string(i) + " is out of range");
        values.push_back((*data.ints)[static_cast<size_t>(i < 0 ? i + size : i)]);
      }
      result.ints = std::move(values);
    }
    set_output(node, 0, std::move(result));
  }

  void reshape(const Node& node) {
    const Tensor& x = input(node, 0);
    const std::vector<int64_t>& shape = constant_ints(node, 1, "shape");
    const bool allow_zero = attr_int(node, "allowzero", 0) != 0;
    const uint64_t total = elements(x.dims, "input");
    Dims out;
    int infer = -1;
    uint64_t known = 1;
    for (size_t i = 0; i < shape.size(); ++i) {
      int64_t d = shape[i];
      if (d == 0 && !allow_zero) {
        if (i >= x.dims.size()) fail("shape " + dims_text(shape) + " copies a dimension the input lacks");
        d = x.dims[i];
      }
      if (d == -1) {
        if (infer >= 0) fail("expected at most one -1 in shape " + dims_text(shape));
        infer = static_cast<int>(i);
        out.push_back(1);
        continue;
      }
      if (d < 0 || d > kMaxDim) fail("expected shape values >= -1, got " + dims_text(shape));
      out.push_back(d);
      if (d != 0 && known > kMaxElements / static_cast<uint64_t>(d)) fail("shape " + dims_text(shape) + " is too large");
      known = d == 0 ? 0 : known * static_cast<uint64_t>(d);
    }
    if (infer >= 0) {
      if (known == 0 || total % known != 0) {
        fail("cannot reshape " + dims_text(x.dims) + " to " + dims_text(shape));
      }
      out[static_cast<size_t>(infer)] = static_cast<int64_t>(total / known);
    } else if (known != total) {
      fail("cannot reshape " + dims_text(x.dims) + " (" + std::to_string(total) + " elements) to " + dims_text(shape));
    }
    Tensor result = alias(x, out);
    result.ints = x.ints;
    result.floats = x.floats;
    set_output(node, 0, std::move(result));
  }

  void flatten(const Node& node) {
    const Tensor& x = input(node, 0);
    const int64_t rank = static_cast<int64_t>(x.dims.size());
    int64_t axis = attr_int(node, "axis", 1);
    if (axis < -rank || axis > rank) fail("axis " + std::to_string(axis) + " is out of range");
    if (axis < 0) axis += rank;
    const uint64_t outer = elements(Dims(x.dims.begin(), x.dims.begin() + axis), "input");
    const uint64_t inner = elements(Dims(x.dims.begin() + axis, x.dims.end()), "input");
    set_output(node, 0, alias(x, Dims{static_cast<int64_t>(outer), static_cast<int64_t>(inner)}));
  }

  void transpose(const Node& node) {
    const Tensor& x = input(node, 0);
    Dims perm = attr_ints(node, "perm").value_or(Dims());
    if (perm.empty()) {
      for (size_t i = x.dims.size(); i-- > 0;) perm.push_back(static_cast<int64_t>(i));
    }
    if (perm.size() != x.dims.size()) fail("expected a perm of " + std::to_string(x.dims.size()) + " axes");
    std::vector<bool> used(perm.size(), false);
    Dims out;
    for (int64_t p : perm) {
      if (p < 0 || p >= static_cast<int64_t>(perm.size()) || used[static_cast<size_t>(p)]) {
        fail("expected perm to be a permutation, got " + dims_text(perm));
      }
      used[static_cast<size_t>(p)] = true;
      out.push_back(x.dims[static_cast<size_t>(p)]);
    }
    set_output(node, 0, alias(x, out));
  }

  void squeeze(const Node& node) {
    const Tensor& x = input(node, 0);
    const auto axes = axes_of(node, 1);
    std::vector<bool> drop(x.dims.size(), false);
    if (!axes || axes->empty()) {
      for (size_t i = 0; i < x.dims.size(); ++i) drop[i] = x.dims[i] == 1;
    } else {
      for (int64_t a : *axes) {
        const size_t i = static_cast<size_t>(axis_index(a, x.dims.size(), "axis"));
        if (x.dims[i] != 1) fail("cannot squeeze axis " + std::to_string(a) + " of " + dims_text(x.dims));
        drop[i] = true;
      }
    }
    Dims out;
    for (size_t i = 0; i < x.dims.size(); ++i) {
      if (!drop[i]) out.push_back(x.dims[i]);
    }
    Tensor result = alias(x, out);
    result.ints = x.ints;
    set_output(node, 0, std::move(result));
  }

  void unsqueeze(const Node& node) {
    const Tensor& x = input(node, 0);
    const auto axes = axes_of(node, 1);
    if (!axes || axes->empty()) fail("expected axes");
    const size_t rank = x.dims.size() + axes->size();
    if (rank > 64) fail("expected a result of rank <= 64");
    std::vector<bool> inserted(rank, false);
    for (int64_t a : *axes) {
      const size_t i = static_cast<size_t>(axis_index(a, rank, "axis"));
      if (inserted[i]) fail("axis " + std::to_string(a) + " repeats");
      inserted[i] = true;
    }
    Dims out;
    size_t next = 0;
    for (size_t i = 0; i < rank; ++i) out.push_back(inserted[i] ? 1 : x.dims[next++]);
    Tensor result = alias(x, out);
    result.ints = x.ints;
    set_output(node, 0, std::move(result));
  }

  void concat(const Node& node) {
    std::vector<const Tensor*> parts;
    for (int i = 0; i < node.input_size(); ++i) {
      if (has_input(node, i)) parts.push_back(&input(node, i));
    }
    if (parts.empty()) fail("expected at least one input");
    const size_t rank = parts.front()->dims.size();
    if (rank == 0) fail("expected inputs of rank >= 1");
    const size_t axis = static_cast<size_t>(axis_index(attr_int(node, "axis", 0), rank, "axis"));
    Tensor result;
    result.dims = parts.front()->dims;
    result.dims[axis] = 0;
    result.constant = true;
    std::vector<int64_t> values;
    bool have_values = rank == 1;
    for (const Tensor* part : parts) {
      if (part->dims.size() != rank) fail("expected inputs of equal rank");
      for (size_t i = 0; i < rank; ++i) {
        if (i != axis && part->dims[i] != result.dims[i]) fail("expected inputs equal outside the concat axis");
      }
      result.dims[axis] += part->dims[axis];
      if (result.dims[axis] > kMaxDim) fail("expected a concatenation below 2^31");
      result.constant = result.constant && part->constant;
      for (uint32_t producer : part->producers) {
        if (std::find(result.producers.begin(), result.producers.end(), producer) == result.producers.end()) {
          result.producers.push_back(producer);
        }
      }
      if (part->ints && values.size() + part->ints->size() <= kMaxValues) {
        values.insert(values.end(), part->ints->begin(), part->ints->end());
      } else {
        have_values = false;
      }
    }
    if (have_values && result.constant) result.ints = std::move(values);
    set_output(node, 0, std::move(result));
  }

  void split(const Node& node) {
    const Tensor& x = input(node, 0);
    if (x.dims.empty()) fail("expected an input of rank >= 1");
    const size_t axis = static_cast<size_t>(axis_index(attr_int(node, "axis", 0), x.dims.size(), "axis"));
    Dims sizes = has_input(node, 1) ? constant_ints(node, 1, "split") : attr_ints(node, "split").value_or(Dims());
    const int64_t outputs = node.output_size();
    if (sizes.empty()) {
      if (outputs < 1) fail("expected outputs");
      const int64_t chunk = (x.dims[axis] + outputs - 1) / outputs;
      int64_t left = x.dims[axis];
      for (int64_t i = 0; i < outputs; ++i) {
        sizes.push_back(std::min(chunk, left));
        left -= sizes.back();
      }
    }
    int64_t sum = 0;
    for (int64_t s : sizes) {
      if (s < 0) fail("expected non-negative split sizes");
      sum += s;
    }
    if (static_cast<int64_t>(sizes.size()) != outputs || sum != x.dims[axis]) {
      fail("split " + dims_text(sizes) + " does not divide dimension " + std::to_string(x.dims[axis]));
    }
    for (int i = 0; i < outputs; ++i) {
      Dims out = x.dims;
      out[axis] = sizes[static_cast<size_t>(i)];
      set_output(node, i, alias(x, out));
    }
  }

  void slice(const Node& node) {
    const Tensor& x = input(node, 0);
    Dims starts, ends, axes, steps;
    if (opset_ >= 10 || has_input(node, 1)) {
      starts = constant_ints(node, 1, "starts");
      ends = constant_ints(node, 2, "ends");
      if (has_input(node, 3)) axes = constant_ints(node, 3, "axes");
      if (has_input(node, 4)) steps = constant_ints(node, 4, "steps");
    } else {
      starts = attr_ints(node, "starts").value_or(Dims());
      ends = attr_ints(node, "ends").value_or(Dims());
      axes = attr_ints(node, "axes").value_or(Dims());
    }
    if (axes.empty()) {
      for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
    }
    if (steps.empty()) steps.assign(starts.size(), 1);
    if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size()) {
      fail("expected starts, ends, axes and steps of equal length");
    }
    Dims out = x.dims;
    int64_t first = 0, stride = 1;  // for folding a 1-D constant
    for (size_t i = 0; i < starts.size(); ++i) {
      const size_t axis = static_cast<size_t>(axis_index(axes[i], x.dims.size(), "axis"));
      const int64_t dim = x.dims[axis];
      const int64_t step = steps[i];
      if (step == 0) fail("expected non-zero steps");
      auto clamp = [&](int64_t v, int64_t lo, int64_t hi) {
        if (v < 0) v = v < -dim ? -1 : v + dim;  // saturating: INT64_MIN-style sentinels are common
        return std::clamp<int64_t>(v, lo, hi);
      };
      const int64_t start = step > 0 ? clamp(starts[i], 0, dim) : clamp(starts[i], -1, dim - 1);
      const int64_t end = step > 0 ? clamp(ends[i], 0, dim) : clamp(ends[i], -1, dim - 1);
      const int64_t span = step > 0 ? end - start : start - end;
      const int64_t abs_step = step > 0 ? step : -step;
      out[axis] = span <= 0 ? 0 : (span + abs_step - 1) / abs_step;
      first = start;
      stride = step;
    }
    Tensor result = alias(x, out);
    if (x.ints && x.dims.size() == 1 && starts.size() == 1 && x.ints->size() == static_cast<size_t>(x.dims[0])) {
      std::vector<int64_t> values;
      for (int64_t i = 0; i < out[0]; ++i) values.push_back((*x.ints)[static_cast<size_t>(first + i * stride)]);
      result.ints = std::move(values);
    }
    set_output(node, 0, std::move(result));
  }

  void expand(const Node& node) {
    const Tensor& x = input(node, 0);
    const Dims out = broadcast({x.dims, constant_ints(node, 1, "shape")});
    set_output(node, 0, alias(x, out));
  }

  void tile(const Node& node) {
    const Tensor& x = input(node, 0);
    const auto& repeats = constant_ints(node, 1, "repeats");
    if (repeats.size() != x.dims.size()) fail("expected one repeat per dimension");
    Dims out = x.dims;
    for (size_t i = 0; i < out.size(); ++i) {
      if (repeats[i] < 0 || (out[i] != 0 && repeats[i] > kMaxDim / out[i])) fail("expected small repeats");
      out[i] *= repeats[i];
    }
    set_output(node, 0, alias(x, out));
  }

  void pad(const Node& node) {
    const Tensor& x = input(node, 0);
    const Dims pads = has_input(node, 1) ? constant_ints(node, 1, "pads") : attr_ints(node, "pads").value_or(Dims());
    if (pads.size() != 2 * x.dims.size()) fail("expected " + std::to_string(2 * x.dims.size()) + " pads");
    Dims out = x.dims;
    for (size_t i = 0; i < out.size(); ++i) {
      if (std::abs(pads[i]) > kMaxDim || std::abs(pads[i + out.size()]) > kMaxDim) fail("expected pads below 2^31");
      out[i] += pads[i] + pads[i + out.size()];
      if (out[i] < 0 || out[i] > kMaxDim) fail("pads " + dims_text(pads) + " give an invalid shape");
    }
    set_output(node, 0, alias(x, out));
  }

  void depth_space(const Node& node, bool to_space) {
    const Tensor& x = input(node, 0);
    const int64_t b = attr_int(node, "blocksize", 0);
    if (x.dims.size() != 4 || b < 1 || b > 4096) fail("expected a 4-D input and a positive blocksize");
    Dims out = x.dims;
    if (to_space) {
      if (out[1] % (b * b) != 0) fail("channels are not a multiple of blocksize^2");
      out = {out[0], out[1] / (b * b), out[2] * b, out[3] * b};
    } else {
      if (out[2] % b != 0 || out[3] % b != 0) fail("height and width are not multiples of blocksize");
      out = {out[0], out[1] * b * b, out[2] / b, out[3] / b};
    }
    set_output(node, 0, alias(x, out));
  }

  void constant(const Node& node) {
    Tensor t;
    t.constant = true;
    if (const auto* value = find_attribute(node, "value")) {
      t.dims.assign(value->t().dims().begin(), value->t().dims().end());
      read_values(value->t(), elements(t.dims, "value"), t);
    } else if (const auto* sparse = find_attribute(node, "sparse_value")) {
      t.dims.assign(sparse->sparse_tensor().dims().begin(), sparse->sparse_tensor().dims().end());
    } else if (const auto* i = find_attribute(node, "value_int")) {
      t.ints = std::vector<int64_t>{i->i()};
    } else if (const auto* is = find_attribute(node, "value_ints")) {
      t.dims = {is->ints_size()};
      t.ints = std::vector<int64_t>(is->ints().begin(), is->ints().end());
    } else if (const auto* f = find_attribute(node, "value_float")) {
      t.floats = std::vector<double>{f->f()};
    } else if (const auto* fs = find_attribute(node, "value_floats")) {
      t.dims = {fs->floats_size()};
      t.floats = std::vector<double>(fs->floats().begin(), fs->floats().end());
    } else {
      fail("expected a value attribute");
    }
    set_output(node, 0, std::move(t));
  }

  void shape(const Node& node) {
    const Tensor& x = input(node, 0);
    const int64_t rank = static_cast<int64_t>(x.dims.size());
    int64_t start = attr_int(node, "start", 0), end = attr_int(node, "end", rank);
    if (start < 0) start += rank;
    if (end < 0) end += rank;
    start = std::clamp<int64_t>(start, 0, rank);
    end = std::clamp<int64_t>(end, start, rank);
    Tensor t;
    t.constant = true;
    t.ints = std::vector<int64_t>(x.dims.begin() + start, x.dims.begin() + end);
    t.dims = {end - start};
    set_output(node, 0, std::move(t));
  }

  void constant_of_shape(const Node& node) {
    Tensor t;
    t.constant = true;
    t.dims = constant_ints(node, 0, "shape");
    const uint64_t count = elements(t.dims, "output");
    const auto* value = find_attribute(node, "value");
    if (count <= kMaxValues) {
      Tensor fill;
      if (value != nullptr) read_values(value->t(), 1, fill);
      t.ints = std::vector<int64_t>(count, fill.ints && !fill.ints->empty() ? fill.ints->front() : 0);
    }
    set_output(node, 0, std::move(t));
  }

  void range(const Node& node) {
    const auto& start = constant_ints(node, 0, "start");
    const auto& limit = constant_ints(node, 1, "limit");
    const auto& delta = constant_ints(node, 2, "delta");
    if (start.size() != 1 || limit.size() != 1 || delta.size() != 1 || delta[0] == 0) {
      fail("expected scalar start, limit and a non-zero delta");
    }
    const double count =
        std::ceil((static_cast<double>(limit[0]) - static_cast<double>(start[0])) / static_cast<double>(delta[0]));
    if (count > static_cast<double>(kMaxDim)) fail("expected a range below 2^31 values");
    const int64_t n = std::max<int64_t>(0, static_cast<int64_t>(count));
    Tensor t;
    t.constant = true;
    t.dims = {n};
    if (static_cast<uint64_t>(n) <= kMaxValues) {
      std::vector<int64_t> values;
      for (int64_t i = 0; i < n; ++i) values.push_back(start[0] + i * delta[0]);
      t.ints = std::move(values);
    }
    set_output(node, 0, std::move(t));
  }

  // Identity-like nodes: the same data, so an activation after them may still fuse into the producer.
  void pass_through(const Node& node) {
    const Tensor& x = input(node, 0);
    Tensor out = alias(x, x.dims);
    out.ints = x.ints;
    out.floats = x.floats;
    const auto consumers = consumers_.find(node.input(0));
    if (consumers != consumers_.end() && consumers->second == 1 && graph_outputs_.count(node.input(0)) == 0) {
      out.fusable_op = x.fusable_op;
    }
    for (int i = 1; i < node.output_size(); ++i) {  // Dropout's mask; BatchNormalization's running stats
      set_output(node, i, alias(x, node.op_type() == "Dropout" ? x.dims : Dims{x.dims.size() > 1 ? x.dims[1] : 1}));
    }
    set_output(node, 0, std::move(out));
  }

  void import_node(const Node& node) {
    using Handler = std::function<void(GraphImporter&, const Node&)>;
    auto unary_of = [](EltwiseKind kind, std::optional<Activation> activation) {
      return Handler([kind, activation](GraphImporter& g, const Node& n) { g.unary(n, kind, activation); });
    };
    auto binary_of = [](EltwiseKind kind) {
      return Handler([kind](GraphImporter& g, const Node& n) { g.binary(n, kind); });
    };
    static const std::unordered_map<std::string, Handler> handlers{
        {"Conv", &GraphImporter::conv},
        {"Gemm", &GraphImporter::gemm},
        {"MatMul", &GraphImporter::matmul},
        {"MaxPool", [](GraphImporter& g, const Node& n) { g.pool(n, OpKind::kMaxPool); }},
        {"AveragePool", [](GraphImporter& g, const Node& n) { g.pool(n, OpKind::kAvgPool); }},
        {"LpPool", [](GraphImporter& g, const Node& n) { g.pool(n, OpKind::kAvgPool); }},
        {"GlobalAveragePool", [](GraphImporter& g, const Node& n) { g.global_pool(n, OpKind::kAvgPool); }},
        {"GlobalMaxPool", [](GraphImporter& g, const Node& n) { g.global_pool(n, OpKind::kMaxPool); }},
        {"Softmax", [](GraphImporter& g, const Node& n) { g.rows(n, OpKind::kSoftmax, g.opset_ >= 13 ? -1 : 1, g.opset_ < 13); }},
        {"LogSoftmax", [](GraphImporter& g, const Node& n) { g.rows(n, OpKind::kSoftmax, g.opset_ >= 13 ? -1 : 1, g.opset_ < 13); }},
        {"LayerNormalization", [](GraphImporter& g, const Node& n) { g.rows(n, OpKind::kLayerNorm, -1, true); }},
        {"RMSNormalization", [](GraphImporter& g, const Node& n) { g.rows(n, OpKind::kRmsNorm, -1, true); }},
        {"Resize", &GraphImporter::resize},
        {"Upsample", &GraphImporter::resize},
        {"ReduceMean", &GraphImporter::reduce},
        {"ReduceSum", &GraphImporter::reduce},
        {"ReduceMax", &GraphImporter::reduce},
        {"ReduceMin", &GraphImporter::reduce},
        {"ReduceL2", &GraphImporter::reduce},
        {"ReduceProd", &GraphImporter::reduce},
        {"Add", binary_of(EltwiseKind::kAdd)},
        {"Sub", binary_of(EltwiseKind::kAdd)},
        {"Sum", binary_of(EltwiseKind::kAdd)},
        {"Mean", binary_of(EltwiseKind::kAdd)},
        {"Max", binary_of(EltwiseKind::kAdd)},
        {"Min", binary_of(EltwiseKind::kAdd)},
        {"Mul", binary_of(EltwiseKind::kMul)},
        {"Div", binary_of(EltwiseKind::kMul)},
        {"Pow", binary_of(EltwiseKind::kMul)},
        {"Relu", unary_of(EltwiseKind::kRelu, Activation::kRelu)},
        {"LeakyRelu", unary_of(EltwiseKind::kRelu, Activation::kRelu)},
        {"PRelu", unary_of(EltwiseKind::kRelu, std::nullopt)},
        {"Clip", unary_of(EltwiseKind::kRelu6, Activation::kRelu6)},
        {"Sigmoid", unary_of(EltwiseKind::kSigmoid, Activation::kSigmoid)},
        {"HardSigmoid", unary_of(EltwiseKind::kSigmoid, Activation::kSigmoid)},
        {"HardSwish", unary_of(EltwiseKind::kSilu, Activation::kSilu)},
        {"Mish", unary_of(EltwiseKind::kSilu, std::nullopt)},
        {"Tanh", unary_of(EltwiseKind::kSigmoid, Activation::kTanh)},
        {"Gelu", unary_of(EltwiseKind::kGelu, Activation::kGelu)},
        {"Erf", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
        {"Exp", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
        {"Log", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
        {"Sqrt", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
        {"Reciprocal", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
        {"Softplus", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
        {"Elu", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
        {"Selu", unary_of(EltwiseKind::kSigmoid, std::nullopt)},
        {"Neg", unary_of(EltwiseKind::kRelu, std::nullopt)},
        {"Abs", unary_of(EltwiseKind::kRelu, std::nullopt)},
        {"Floor", unary_of(EltwiseKind::kRelu, std::nullopt)},
        {"Ceil", unary_of(EltwiseKind::kRelu, std::nullopt)},
        {"Round", unary_of(EltwiseKind::kRelu, std::nullopt)},
        {"Sign", unary_of(EltwiseKind::kRelu, std::nullopt)},
        {"Identity", &GraphImporter::pass_through},
        {"Dropout", &GraphImporter::pass_through},
        {"Cast", &GraphImporter::pass_through},
        {"CastLike", &GraphImporter::pass_through},
        {"BatchNormalization", &GraphImporter::pass_through},  // folded into the producer's weights
        {"Flatten", &GraphImporter::flatten},
        {"Reshape", &GraphImporter::reshape},
        {"Transpose", &GraphImporter::transpose},
        {"Squeeze", &GraphImporter::squeeze},
        {"Unsqueeze", &GraphImporter::unsqueeze},
        {"Concat", &GraphImporter::concat},
        {"Split", &GraphImporter::split},
        {"Slice", &GraphImporter::slice},
        {"Gather", &GraphImporter::gather},
        {"Expand", &GraphImporter::expand},
        {"Tile", &GraphImporter::tile},
        {"Pad", &GraphImporter::pad},
        {"DepthToSpace", [](GraphImporter& g, const Node& n) { g.depth_space(n, true); }},
        {"SpaceToDepth", [](GraphImporter& g, const Node& n) { g.depth_space(n, false); }},
        {"Shape", &GraphImporter::shape},
        {"Size",
         [](GraphImporter& g, const Node& n) {
           const Tensor& x = g.input(n, 0);
           Tensor t;
           t.constant = true;
           t.ints = std::vector<int64_t>{static_cast<int64_t>(g.elements(x.dims, "input"))};
           g.set_output(n, 0, std::move(t));
         }},
        {"Constant", &GraphImporter::constant},
        {"ConstantOfShape", &GraphImporter::constant_of_shape},
        {"Range", &GraphImporter::range},
    };
    const auto it = handlers.find(node.op_type());
    if (it == handlers.end()) fail("no handler (internal: supported_types() and the handler table differ)");
    it->second(*this, node);
  }

  // Why a node cannot be mapped, from its type and attributes alone; empty when it can.
  std::string unsupported_label(const Node& node) const {
    if (!node.domain().empty() && node.domain() != "ai.onnx") return node.domain() + "." + node.op_type();
    if (supported_types().count(node.op_type()) == 0) return node.op_type();
    const std::string& type = node.op_type();
    if (type == "Conv" || type == "MaxPool" || type == "AveragePool" || type == "LpPool") {
      if (const auto dilations = attr_ints(node, "dilations")) {
        for (int64_t d : *dilations) {
          if (d != 1) return type + "(dilations>1)";
        }
      }
      const auto kernel = attr_ints(node, "kernel_shape");
      size_t spatial = kernel ? kernel->size() : 0;
      if (type == "Conv" && node.input_size() > 1) {
        const auto weight = tensors_.find(node.input(1));
        if (weight != tensors_.end() && weight->second.dims.size() > 2) spatial = weight->second.dims.size() - 2;
      }
      if (spatial > 2) return type + "(3-D)";
    }
    return "";
  }

  // An unsupported node under --allow-unsupported: its outputs take their value_info shape, or the first
  // input's, and carry the inputs' producers so the dependency chain stays intact.
  void skip_node(const Node& node) {
    Tensor passed;
    const Tensor* first = nullptr;
    for (const auto& name : node.input()) {
      const auto it = tensors_.find(name);
      if (it == tensors_.end()) continue;
      if (first == nullptr) first = &it->second;
      for (uint32_t producer : it->second.producers) {
        if (std::find(passed.producers.begin(), passed.producers.end(), producer) == passed.producers.end()) {
          passed.producers.push_back(producer);
        }
      }
    }
    for (const auto& name : node.output()) {
      if (name.empty()) continue;
      Tensor out;
      out.producers = passed.producers;
      out.skipped_by = label_;
      const auto info = value_info_.find(name);
      if (info != value_info_.end()) {
        out.known = true;
        out.dims = info->second;
      } else if (first != nullptr && first->known) {
        out.known = true;
        out.dims = first->dims;
      }
      tensors_[name] = std::move(out);
    }
  }

  const onnx::GraphProto& graph_;
  const std::string& file_;
  OnnxImportOptions options_;
  int64_t opset_;
  std::string where_;
  std::string label_;
  std::unordered_map<std::string, Tensor> tensors_;
  std::unordered_map<std::string, int> consumers_;
  std::unordered_set<std::string> graph_outputs_;
  std::unordered_map<std::string, Dims> value_info_;
  std::vector<Operator> ops_;
};

}  // namespace

bool onnx_import_available() { return true; }

Workload parse_onnx_model(const std::string& bytes, const std::string& file, const std::string& name,
                          const OnnxImportOptions& options) {
  onnx::ModelProto model;
  {
    google::protobuf::LogSilencer silence;
    if (!model.ParseFromString(bytes)) {
      throw InputError(file, "",
                       "expected an ONNX model (a serialized onnx.ModelProto); protobuf parsing failed: the "
                       "file is truncated or not ONNX");
    }
  }
  if (model.ir_version() <= 0 || !model.has_graph() || model.graph().node_size() == 0) {
    throw InputError(file, "",
                     "expected an ONNX model with an ir_version and a graph of nodes; this is not an ONNX model "
                     "(or an empty one)");
  }
  int64_t opset = 1;
  for (const auto& entry : model.opset_import()) {
    if (entry.domain().empty() || entry.domain() == "ai.onnx") opset = entry.version();
  }
  Workload workload = GraphImporter(model.graph(), file, options, opset).run();
  workload.name = name;
  workload.source = file;
  return workload;
}

}  // namespace npusim

#else  // no ONNX support in this build

namespace npusim {

bool onnx_import_available() { return false; }

Workload parse_onnx_model(const std::string&, const std::string& file, const std::string&,
                          const OnnxImportOptions&) {
  throw InputError(file, "",
                   "this npusim was built without ONNX support; install libonnx-dev and libprotobuf-dev "
                   "(scripts/install-deps.sh) and rebuild");
}

}  // namespace npusim

#endif

namespace npusim {

Workload load_onnx_model(const std::string& path, const OnnxImportOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open ONNX file");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return parse_onnx_model(bytes.str(), path, std::filesystem::path(path).stem().string(), options);
}

}  // namespace npusim
