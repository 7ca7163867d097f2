// ONNX graph reading: constant values, attributes, initializers, graph inputs, value_info, tensor lookup.
#ifdef NPUSIM_HAVE_ONNX

#include <cstring>

#include "arch/spec/input_error.h"
#include "workloads/importers/onnx_internal.h"

namespace npusim::onnx_detail {

std::string dims_text(const Dims& dims) {
  std::string text = "[";
  for (size_t i = 0; i < dims.size(); ++i) text += (i ? ", " : "") + std::to_string(dims[i]);
  return text + "]";
}

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
    case T::DOUBLE:
      return 8;
    case T::INT32:
    case T::UINT32:
    case T::FLOAT:
      return 4;
    case T::INT16:
    case T::UINT16:
      return 2;
    case T::INT8:
    case T::UINT8:
    case T::BOOL:
      return 1;
    default:
      return 0;
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

void GraphImporter::fail(const std::string& message) const {
  // Downstream of a node skipped by --allow-unsupported, shapes are guesses: say where the input came from.
  if (current_ != nullptr && message.find("skipped unsupported node") == std::string::npos) {
    for (const auto& name : current_->input()) {
      const auto it = tensors_.find(name);
      if (it == tensors_.end() || it->second.skipped_by.empty()) continue;
      throw InputError(file_, where_,
                       message + "; input '" + name + "' comes from skipped unsupported node '" +
                           it->second.skipped_by + "' (--allow-unsupported), whose shape is taken from value_info or that node's first input, "
                           "not computed");
    }
  }
  throw InputError(file_, where_, message);
}

int64_t GraphImporter::attr_int(const Node& node, const char* name, int64_t fallback) const {
  const auto* a = find_attribute(node, name);
  return a == nullptr ? fallback : a->i();
}

float GraphImporter::attr_float(const Node& node, const char* name, float fallback) const {
  const auto* a = find_attribute(node, name);
  return a == nullptr ? fallback : a->f();
}

std::string GraphImporter::attr_string(const Node& node, const char* name,
                                       const std::string& fallback) const {
  const auto* a = find_attribute(node, name);
  return a == nullptr ? fallback : a->s();
}

std::optional<Dims> GraphImporter::attr_ints(const Node& node, const char* name) const {
  const auto* a = find_attribute(node, name);
  if (a == nullptr) return std::nullopt;
  return Dims(a->ints().begin(), a->ints().end());
}

uint64_t GraphImporter::elements(const Dims& dims, const std::string& what) const {
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

void GraphImporter::add_initializers() {
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

void GraphImporter::add_graph_inputs() {
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
               std::to_string(options_.batch) +
               " can only set a dynamic batch dimension (export the model "
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
        fail("dim " + std::to_string(d) + symbol +
             " is dynamic; expected static shapes: export the model "
             "with fixed input sizes" +
             (d == 0 ? " or pass --batch N for a dynamic batch dimension" : ""));
      }
    }
    elements(tensor.dims, "the input");
    tensors_[input.name()] = std::move(tensor);
  }
}

// Consumers per tensor (activation fusion needs single-consumer outputs) and value_info shapes.
void GraphImporter::index_graph() {
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

bool GraphImporter::has_input(const Node& node, int index) const {
  return index < node.input_size() && !node.input(index).empty();
}

const Tensor& GraphImporter::input(const Node& node, int index) const {
  if (!has_input(node, index)) fail("expected input " + std::to_string(index) + ", found none");
  const std::string& name = node.input(index);
  const auto it = tensors_.find(name);
  if (it == tensors_.end()) {
    fail("input '" + name +
         "' is not produced by an earlier node, a graph input or an initializer "
         "(expected nodes in topological order)");
  }
  if (!it->second.known) {
    fail("input '" + name + "' has no known shape: it comes from skipped unsupported node '" +
         it->second.skipped_by + "' and the model gives no value_info for it");
  }
  return it->second;
}

const Tensor* GraphImporter::optional_input(const Node& node, int index) const {
  return has_input(node, index) ? &input(node, index) : nullptr;
}

const std::vector<int64_t>& GraphImporter::constant_ints(const Node& node, int index,
                                                         const char* what) const {
  const Tensor& t = input(node, index);
  if (!t.ints) {
    fail(std::string("expected a constant ") + what + " (input '" + node.input(index) +
         "'), found a value computed at run time");
  }
  return *t.ints;
}

void GraphImporter::set_output(const Node& node, int index, Tensor tensor) {
  if (index >= node.output_size() || node.output(index).empty()) return;
  tensor.known = true;
  elements(tensor.dims, "output '" + node.output(index) + "'");
  if (tensor.ints && tensor.ints->size() > kMaxValues) tensor.ints.reset();
  if (tensor.floats && tensor.floats->size() > kMaxValues) tensor.floats.reset();
  tensors_[node.output(index)] = std::move(tensor);
}

Tensor GraphImporter::alias(const Tensor& in, Dims dims) {
  Tensor out;
  out.dims = std::move(dims);
  out.producers = in.producers;
  out.constant = in.constant;
  out.skipped_by = in.skipped_by;  // reshapes and transposes of a skipped node's output still come from it
  return out;
}

int64_t GraphImporter::axis_index(int64_t axis, size_t rank, const char* what) const {
  const int64_t r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) {
    fail(std::string(what) + " " + std::to_string(axis) + " is out of range for rank " +
         std::to_string(rank));
  }
  return axis < 0 ? axis + r : axis;
}

}  // namespace npusim::onnx_detail

#endif  // NPUSIM_HAVE_ONNX
