// ONNX shape inference for data movement operators (reshape, transpose, gather, concat, slice, ...).
#ifdef NPUSIM_HAVE_ONNX

#include <algorithm>
#include <cmath>
#include <limits>

#include "workloads/importers/onnx_internal.h"

namespace npusim::onnx_detail {

Dims GraphImporter::broadcast(const std::vector<Dims>& shapes) const {
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

void GraphImporter::gather(const Node& node) {
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

void GraphImporter::reshape(const Node& node) {
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
    if (d != 0 && known > kMaxElements / static_cast<uint64_t>(d))
      fail("shape " + dims_text(shape) + " is too large");
    known = d == 0 ? 0 : known * static_cast<uint64_t>(d);
  }
  if (infer >= 0) {
    if (known == 0 || total % known != 0) {
      fail("cannot reshape " + dims_text(x.dims) + " to " + dims_text(shape));
    }
    out[static_cast<size_t>(infer)] = static_cast<int64_t>(total / known);
  } else if (known != total) {
    fail("cannot reshape " + dims_text(x.dims) + " (" + std::to_string(total) + " elements) to " +
         dims_text(shape));
  }
  Tensor result = alias(x, out);
  result.ints = x.ints;
  result.floats = x.floats;
  set_output(node, 0, std::move(result));
}

void GraphImporter::flatten(const Node& node) {
  const Tensor& x = input(node, 0);
  const int64_t rank = static_cast<int64_t>(x.dims.size());
  int64_t axis = attr_int(node, "axis", 1);
  if (axis < -rank || axis > rank) fail("axis " + std::to_string(axis) + " is out of range");
  if (axis < 0) axis += rank;
  const uint64_t outer = elements(Dims(x.dims.begin(), x.dims.begin() + axis), "input");
  const uint64_t inner = elements(Dims(x.dims.begin() + axis, x.dims.end()), "input");
  set_output(node, 0, alias(x, Dims{static_cast<int64_t>(outer), static_cast<int64_t>(inner)}));
}

void GraphImporter::transpose(const Node& node) {
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

void GraphImporter::squeeze(const Node& node) {
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

void GraphImporter::unsqueeze(const Node& node) {
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

void GraphImporter::concat(const Node& node) {
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

void GraphImporter::split(const Node& node) {
  const Tensor& x = input(node, 0);
  if (x.dims.empty()) fail("expected an input of rank >= 1");
  const size_t axis = static_cast<size_t>(axis_index(attr_int(node, "axis", 0), x.dims.size(), "axis"));
  Dims sizes =
      has_input(node, 1) ? constant_ints(node, 1, "split") : attr_ints(node, "split").value_or(Dims());
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

void GraphImporter::slice(const Node& node) {
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
  if (x.ints && x.dims.size() == 1 && starts.size() == 1 &&
      x.ints->size() == static_cast<size_t>(x.dims[0])) {
    std::vector<int64_t> values;
    for (int64_t i = 0; i < out[0]; ++i) values.push_back((*x.ints)[static_cast<size_t>(first + i * stride)]);
    result.ints = std::move(values);
  }
  set_output(node, 0, std::move(result));
}

void GraphImporter::expand(const Node& node) {
  const Tensor& x = input(node, 0);
  const Dims out = broadcast({x.dims, constant_ints(node, 1, "shape")});
  set_output(node, 0, alias(x, out));
}

void GraphImporter::tile(const Node& node) {
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

void GraphImporter::pad(const Node& node) {
  const Tensor& x = input(node, 0);
  const Dims pads =
      has_input(node, 1) ? constant_ints(node, 1, "pads") : attr_ints(node, "pads").value_or(Dims());
  if (pads.size() != 2 * x.dims.size()) fail("expected " + std::to_string(2 * x.dims.size()) + " pads");
  Dims out = x.dims;
  for (size_t i = 0; i < out.size(); ++i) {
    if (std::abs(pads[i]) > kMaxDim || std::abs(pads[i + out.size()]) > kMaxDim)
      fail("expected pads below 2^31");
    out[i] += pads[i] + pads[i + out.size()];
    if (out[i] < 0 || out[i] > kMaxDim) fail("pads " + dims_text(pads) + " give an invalid shape");
  }
  set_output(node, 0, alias(x, out));
}

void GraphImporter::depth_space(const Node& node, bool to_space) {
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

}  // namespace npusim::onnx_detail

#endif  // NPUSIM_HAVE_ONNX
