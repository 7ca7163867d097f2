// ONNX compute operators mapped to IR operators: conv/pool windows, GEMM, MatMul, rows, reductions, resize.
#ifdef NPUSIM_HAVE_ONNX

#include <algorithm>
#include <cmath>
#include <set>

#include "workloads/importers/onnx_internal.h"

namespace npusim::onnx_detail {
namespace {

// A product of two activations (B is no weight): m x k times k x n, before any batch.
Operator activation_matmul(int64_t m, int64_t n, int64_t k, bool bias) {
  MatMulParams p;
  p.m = static_cast<uint64_t>(m);
  p.n = static_cast<uint64_t>(n);
  p.k = static_cast<uint64_t>(k);
  p.b_is_weight = false;
  p.bias = bias;
  Operator op;
  op.kind = OpKind::kMatMul;
  op.params = p;
  return op;
}

}  // namespace

uint32_t GraphImporter::dim32(int64_t value, const char* what) const {
  if (value < 1 || value > kMaxDim)
    fail(std::string("expected a positive ") + what + ", got " + std::to_string(value));
  return static_cast<uint32_t>(value);
}

// Batch items and elements per item of an activation: the leading dimension is the batch (rank >= 2).
std::pair<uint32_t, uint64_t> GraphImporter::split_batch(const Dims& dims) const {
  const uint64_t total = elements(dims, "tensor");
  if (total == 0) fail("expected a non-empty tensor, got shape " + dims_text(dims));
  if (dims.size() < 2) return {1, total};
  return {dim32(dims[0], "batch dimension"), total / static_cast<uint64_t>(dims[0])};
}

// Appends an IR operator reading the non-constant `activations`; returns its output tensor (fusable).
Tensor GraphImporter::emit(Operator op, const std::vector<const Tensor*>& activations, Dims out_dims) {
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

GraphImporter::Window GraphImporter::window(const Node& node, const Dims& spatial, const Dims& kernel,
                                            bool ceil_mode) const {
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
      fail("expected positive kernel_shape and strides, got " + dims_text(w.kernel) + " and " +
           dims_text(w.strides));
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
    if (pads.size() != 2 * rank)
      fail("expected " + std::to_string(2 * rank) + " pads, got " + dims_text(pads));
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

int64_t GraphImporter::window_out(int64_t in, const Window& w, size_t i) {
  return (in + w.begin[i] + w.end[i] - w.kernel[i]) / w.strides[i] + 1;
}

void GraphImporter::conv(const Node& node) {
  const Tensor& x = input(node, 0);
  const Tensor& weight = input(node, 1);
  const size_t rank = x.dims.size();
  if (rank != 3 && rank != 4)
    fail("expected a 1-D or 2-D convolution input [N, C, (H,) W], got " + dims_text(x.dims));
  if (weight.dims.size() != rank) {
    fail("expected a weight of rank " + std::to_string(rank) + ", got " + dims_text(weight.dims));
  }
  const int64_t groups = attr_int(node, "group", 1);
  const int64_t channels = x.dims[1];
  const int64_t filters = weight.dims[0];
  if (groups < 1 || groups > channels || channels % groups != 0 || filters % groups != 0 ||
      weight.dims[1] * groups != channels) {
    fail("expected weight " + dims_text(weight.dims) + " to take input channels / group = " +
         std::to_string(channels) + " / " + std::to_string(groups) + " per filter");
  }
  const Dims spatial(x.dims.begin() + 2, x.dims.end());
  const Dims kernel =
      attr_ints(node, "kernel_shape").value_or(Dims(weight.dims.begin() + 2, weight.dims.end()));
  if (kernel != Dims(weight.dims.begin() + 2, weight.dims.end())) {
    fail("kernel_shape " + dims_text(kernel) + " does not match weight " + dims_text(weight.dims));
  }
  const Window w = window(node, spatial, kernel, false);
  ConvParams p;
  p.in_c = dim32(channels, "channel count");
  p.out_c = dim32(filters, "filter count");
  p.groups = static_cast<uint32_t>(groups);
  set_window_fields(p, spatial, w);
  p.bias = has_input(node, 2);
  Operator op;
  op.kind = OpKind::kConv2d;
  op.batch = dim32(x.dims[0], "batch dimension");
  op.params = p;
  Dims out{x.dims[0], filters};
  for (size_t i = 0; i < spatial.size(); ++i) out.push_back(window_out(spatial[i], w, i));
  set_output(node, 0, emit(op, {&x}, out));
}

void GraphImporter::pool(const Node& node, OpKind kind) {
  const Tensor& x = input(node, 0);
  const size_t rank = x.dims.size();
  if (rank != 3 && rank != 4)
    fail("expected a 1-D or 2-D pooling input [N, C, (H,) W], got " + dims_text(x.dims));
  const Dims spatial(x.dims.begin() + 2, x.dims.end());
  const auto kernel = attr_ints(node, "kernel_shape");
  if (!kernel) fail("expected a kernel_shape attribute");
  const Window w = window(node, spatial, *kernel, attr_int(node, "ceil_mode", 0) != 0);
  PoolParams p;
  p.channels = dim32(x.dims[1], "channel count");
  set_window_fields(p, spatial, w);
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

void GraphImporter::global_pool(const Node& node, OpKind kind) {
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
Tensor GraphImporter::fully_connected(const Tensor& a, const Dims& a_dims, uint64_t n, uint64_t k, bool bias,
                                      Dims out) {
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

void GraphImporter::gemm(const Node& node) {
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
    set_output(
        node, 0,
        fully_connected(a, Dims{m, k}, static_cast<uint64_t>(n), static_cast<uint64_t>(k), bias, Dims{m, n}));
    return;
  }
  set_output(node, 0, emit(activation_matmul(m, n, k, bias), {&a, &b}, Dims{m, n}));
}

void GraphImporter::matmul(const Node& node) {
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
  const bool bias = has_input(node, 2);  // a fused bias Add (onnx_fusion.h)
  if (b.constant && !a.constant && b.dims.size() == 2) {
    set_output(node, 0,
               fully_connected(a, a.dims.size() == 1 ? Dims{1, k} : a.dims, static_cast<uint64_t>(n),
                               static_cast<uint64_t>(k), bias, out));
    return;
  }
  const uint64_t batch = elements(batch_dims, "batch dimensions");
  if (batch == 0 || batch > static_cast<uint64_t>(kMaxDim)) fail("expected 1 to 2^31 batched matrices");
  Operator op = activation_matmul(m, n, k, bias);
  op.batch = static_cast<uint32_t>(batch);
  set_output(node, 0, emit(op, {&a, &b}, out));
}

// Softmax and normalisations: rows of `width` elements, the reduction along the row.
void GraphImporter::rows(const Node& node, OpKind kind, int64_t default_axis, bool coerce_to_2d) {
  const Tensor& x = input(node, 0);
  if (x.dims.empty()) fail("expected an input of rank >= 1");
  const size_t axis =
      static_cast<size_t>(axis_index(attr_int(node, "axis", default_axis), x.dims.size(), "axis"));
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

std::optional<Dims> GraphImporter::axes_of(const Node& node, int input_index) const {
  if (has_input(node, input_index)) return constant_ints(node, input_index, "axes");
  return attr_ints(node, "axes");
}

void GraphImporter::reduce(const Node& node) {
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
  // A reduction: a global pool reading every input element once and writing one element per output
  // (max and min pool by max, the others by sum); the batch is the leading dimension when kept.
  const bool batch_kept = x.dims.size() >= 2 && !reduced[0];
  uint64_t reduced_count = 1;
  for (size_t i = 0; i < x.dims.size(); ++i) reduced_count *= reduced[i] ? static_cast<uint64_t>(x.dims[i]) : 1;
  const uint64_t total = elements(x.dims, "input");
  if (total == 0) fail("expected a non-empty input, got " + dims_text(x.dims));
  Operator op;
  op.kind = node.op_type() == "ReduceMax" || node.op_type() == "ReduceMin" ? OpKind::kMaxPool : OpKind::kAvgPool;
  op.batch = batch_kept ? dim32(x.dims[0], "batch dimension") : 1;
  PoolParams p;
  p.in_w = p.kernel_w = dim32(static_cast<int64_t>(reduced_count), "reduced extent");
  p.channels = dim32(static_cast<int64_t>(total / reduced_count / op.batch), "outputs per batch item");
  p.global = true;
  op.params = p;
  Tensor result = emit(op, {&x}, out);
  result.fusable_op = -1;
  set_output(node, 0, std::move(result));
}

void GraphImporter::resize(const Node& node) {
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
      if (!(scaled >= 1 && scaled <= static_cast<double>(kMaxDim)))
        fail("expected scales giving positive sizes");
      out[i] = static_cast<int64_t>(scaled);
    }
  } else if (const auto attr_scales = find_attribute(node, "scales"); attr_scales != nullptr) {
    if (attr_scales->floats_size() != static_cast<int>(out.size())) fail("expected one scale per dimension");
    for (size_t i = 0; i < out.size(); ++i) {
      const double scaled = static_cast<double>(out[i]) * attr_scales->floats(static_cast<int>(i));
      if (!(scaled >= 1 && scaled <= static_cast<double>(kMaxDim)))
        fail("expected scales giving positive sizes");
      out[i] = static_cast<int64_t>(scaled);
    }
  } else {
    fail("expected constant scales or sizes");
  }
  // A copy that writes the resized tensor, as the zoo models upsampling.
  set_output(node, 0, eltwise(EltwiseKind::kCopy, {&x}, out));
}

}  // namespace npusim::onnx_detail

#endif  // NPUSIM_HAVE_ONNX
