// ONNX constants and the shape subgraphs folded at import (Constant, Shape -> Gather -> Mul, Range):
// values small enough to matter for shapes are kept as integers so later reshapes can read them.
#ifdef NPUSIM_HAVE_ONNX

#include <algorithm>
#include <cmath>
#include <limits>

#include "workloads/importers/onnx_internal.h"

namespace npusim::onnx_detail {

// Integer arithmetic on small constants (shape computations such as Shape -> Gather -> Mul).
std::optional<std::vector<int64_t>> GraphImporter::fold_ints(const std::string& type,
                                                             const std::vector<const Tensor*>& in,
                                                             uint64_t count) {
  if (in.size() != 2 || !in[0]->ints || !in[1]->ints || count > kMaxValues) return std::nullopt;
  const auto& a = *in[0]->ints;
  const auto& b = *in[1]->ints;
  if (a.empty() || b.empty() || (a.size() != count && a.size() != 1) ||
      (b.size() != count && b.size() != 1)) {
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
    } else if (type == "Equal") {
      r = x == y ? 1 : 0;
    } else {
      return std::nullopt;
    }
    if (overflow) return std::nullopt;
    out.push_back(r);
  }
  return out;
}

void GraphImporter::constant(const Node& node) {
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

void GraphImporter::shape(const Node& node) {
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

void GraphImporter::constant_of_shape(const Node& node) {
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

void GraphImporter::range(const Node& node) {
  const auto& start = constant_ints(node, 0, "start");
  const auto& limit = constant_ints(node, 1, "limit");
  const auto& delta = constant_ints(node, 2, "delta");
  if (start.size() != 1 || limit.size() != 1 || delta.size() != 1 || delta[0] == 0) {
    fail("expected scalar start, limit and a non-zero delta");
  }
  const double count = std::ceil((static_cast<double>(limit[0]) - static_cast<double>(start[0])) /
                                 static_cast<double>(delta[0]));
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

}  // namespace npusim::onnx_detail

#endif  // NPUSIM_HAVE_ONNX
