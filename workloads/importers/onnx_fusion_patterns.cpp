// One matcher per exported pattern (onnx_fusion.h lists them); each starts from its anchor node and
// returns whether it fused.
#ifdef NPUSIM_HAVE_ONNX

#include <algorithm>
#include <cmath>

#include "workloads/importers/onnx_fuser.h"

namespace npusim::onnx_detail {

namespace {

onnx::AttributeProto float_attribute(const char* name, float value) {
  onnx::AttributeProto attribute;
  attribute.set_name(name);
  attribute.set_type(onnx::AttributeProto::FLOAT);
  attribute.set_f(value);
  return attribute;
}

onnx::AttributeProto int_attribute(const char* name, int64_t value) {
  onnx::AttributeProto attribute;
  attribute.set_name(name);
  attribute.set_type(onnx::AttributeProto::INT);
  attribute.set_i(value);
  return attribute;
}

}  // namespace

// Add(x, 3) -> Clip(0, 6) -> Div 6 (or Mul 1/6): hard sigmoid; with Mul(x, clip) before the division,
// hard swish.
bool Fuser::hard_sigmoid(int i) {
  if (!is_op(i, "Add")) return false;
  const onnx::NodeProto& add = nodes_[static_cast<size_t>(i)];
  if (add.input_size() != 2) return false;
  const std::string x = is_scalar(add.input(1), 3.0) ? add.input(0) : is_scalar(add.input(0), 3.0) ? add.input(1) : "";
  if (x.empty()) return false;
  const int clip = only_consumer(add.output(0), "Clip");
  if (clip < 0) return false;
  const onnx::NodeProto& c = nodes_[static_cast<size_t>(clip)];
  const bool bounds = opset_ >= 11 ? c.input_size() == 3 && is_scalar(c.input(1), 0.0) && is_scalar(c.input(2), 6.0)
                                   : find_attribute(c, "min") && find_attribute(c, "max") &&
                                         find_attribute(c, "min")->f() == 0.0f && find_attribute(c, "max")->f() == 6.0f;
  if (!bounds || !single_use(c.output(0))) return false;
  const auto divides_by_6 = [&](int node, const std::string& operand) {
    return (is_op(node, "Div") && nodes_[static_cast<size_t>(node)].input(0) == operand &&
            is_scalar(nodes_[static_cast<size_t>(node)].input(1), 6.0)) ||
           (is_op(node, "Mul") && is_scalar(other(node, operand), 1.0 / 6.0));
  };
  const int next = consumers_.at(c.output(0)).front();
  if (divides_by_6(next, c.output(0))) {
    onnx::NodeProto& fused =
        replace({i, clip, next}, next, "HardSigmoid", {x}, nodes_[static_cast<size_t>(next)].output(0), "hard_sigmoid");
    *fused.add_attribute() = float_attribute("alpha", 1.0f / 6.0f);
    *fused.add_attribute() = float_attribute("beta", 0.5f);
    return true;
  }
  if (!is_op(next, "Mul") || other(next, c.output(0)) != x || !single_use(nodes_[static_cast<size_t>(next)].output(0)))
    return false;
  const std::string product = nodes_[static_cast<size_t>(next)].output(0);
  const int last = consumers_.at(product).front();
  if (!divides_by_6(last, product)) return false;
  replace({i, clip, next, last}, last, "HardSwish", {x}, nodes_[static_cast<size_t>(last)].output(0), "hard_swish");
  return true;
}

// Mul(x, HardSigmoid(x)) is hard swish; Mul(x, Sigmoid(x)) is SiLU.
bool Fuser::swish(int i) {
  if (!is_op(i, "Mul") || nodes_[static_cast<size_t>(i)].input_size() != 2) return false;
  const onnx::NodeProto& mul = nodes_[static_cast<size_t>(i)];
  for (int side = 0; side < 2; ++side) {
    const std::string gate = mul.input(side);
    const std::string x = mul.input(1 - side);
    const int p = producer(gate);
    const bool hard = is_op(p, "HardSigmoid");
    if ((!hard && !is_op(p, "Sigmoid")) || nodes_[static_cast<size_t>(p)].input(0) != x || !single_use(gate)) continue;
    replace({p, i}, i, hard ? "HardSwish" : "Silu", {x}, mul.output(0), hard ? "hard_swish" : "silu");
    return true;
  }
  return false;
}

// x * 0.5 * (1 + Erf(x / sqrt(2))): the scaled input, Erf, +1, then the two products in any order.
bool Fuser::gelu(int i) {
  if (!is_op(i, "Erf")) return false;
  const std::string erf_in = nodes_[static_cast<size_t>(i)].input(0);
  const int scale = producer(erf_in);
  if (scale < 0 || !single_use(erf_in)) return false;
  const onnx::NodeProto& s = nodes_[static_cast<size_t>(scale)];
  const bool by_div = is_op(scale, "Div") && is_scalar(s.input(1), std::sqrt(2.0));
  const bool by_mul = is_op(scale, "Mul") && s.input_size() == 2 &&
                      (is_scalar(s.input(1), std::sqrt(0.5)) || is_scalar(s.input(0), std::sqrt(0.5)));
  if (!by_div && !by_mul) return false;
  const std::string x = by_div || is_scalar(s.input(1), std::sqrt(0.5)) ? s.input(0) : s.input(1);
  const std::string erf_out = nodes_[static_cast<size_t>(i)].output(0);
  const int plus = only_consumer(erf_out, "Add");
  if (plus < 0 || !is_scalar(other(plus, erf_out), 1.0)) return false;
  const std::string sum = nodes_[static_cast<size_t>(plus)].output(0);
  const int m1 = only_consumer(sum, "Mul");
  if (m1 < 0) return false;
  const std::string o1 = other(m1, sum), p1 = nodes_[static_cast<size_t>(m1)].output(0);
  std::vector<int> dead{scale, i, plus, m1};
  const int half = producer(o1);
  if (o1 == x || is_scalar(o1, 0.5)) {  // one more product: by 0.5 or by x
    const int m2 = only_consumer(p1, "Mul");
    if (m2 < 0 || !(o1 == x ? is_scalar(other(m2, p1), 0.5) : other(m2, p1) == x)) return false;
    dead.push_back(m2);
  } else if (!(is_op(half, "Mul") && single_use(o1) && !other(half, x).empty() && is_scalar(other(half, x), 0.5))) {
    return false;
  } else {
    dead.insert(dead.begin(), half);
  }
  const int last = *std::max_element(dead.begin(), dead.end());  // the final product, last in order
  replace(dead, last, "Gelu", {x}, nodes_[static_cast<size_t>(last)].output(0), "gelu");
  return true;
}

// LayerNorm as exported at opset < 17: ReduceMean, Sub, Pow 2 (or d*d), ReduceMean, Add eps, Sqrt,
// Div, then optionally Mul by gamma and Add beta (constants).
bool Fuser::layernorm(int i) {
  if (!is_op(i, "ReduceMean")) return false;
  const std::string x = nodes_[static_cast<size_t>(i)].input(0), mean = nodes_[static_cast<size_t>(i)].output(0);
  const auto axes = reduce_axes(i);
  const int sub = only_consumer(mean, "Sub");
  if (!axes || axes->empty() || sub < 0 || nodes_[static_cast<size_t>(sub)].input(0) != x) return false;
  const std::string d = nodes_[static_cast<size_t>(sub)].output(0);
  const auto users = consumers_.find(d);
  if (users == consumers_.end() || users->second.size() != 2 || outputs_.count(d)) return false;
  int square = -1, div = -1;
  for (const int u : users->second) {
    const onnx::NodeProto& n = nodes_[static_cast<size_t>(u)];
    if ((is_op(u, "Pow") && n.input(0) == d && is_scalar(n.input(1), 2.0)) ||
        (is_op(u, "Mul") && n.input_size() == 2 && n.input(0) == d && n.input(1) == d)) {
      square = u;
    } else if (is_op(u, "Div") && n.input(0) == d) {
      div = u;
    }
  }
  if (square < 0 || div < 0) return false;
  const int var = only_consumer(nodes_[static_cast<size_t>(square)].output(0), "ReduceMean");
  const int eps = var < 0 ? -1 : only_consumer(nodes_[static_cast<size_t>(var)].output(0), "Add");
  const int root = eps < 0 ? -1 : only_consumer(nodes_[static_cast<size_t>(eps)].output(0), "Sqrt");
  if (root < 0 || nodes_[static_cast<size_t>(div)].input(1) != nodes_[static_cast<size_t>(root)].output(0) ||
      !single_use(nodes_[static_cast<size_t>(root)].output(0))) {
    return false;
  }
  std::vector<int> dead{i, sub, square, var, eps, root, div};
  std::string out = nodes_[static_cast<size_t>(div)].output(0);
  for (const char* affine : {"Mul", "Add"}) {
    const int next = only_consumer(out, affine);
    const std::string operand = next < 0 ? "" : other(next, out);
    if (operand.empty() || (initializers_.count(operand) == 0 && !is_op(producer(operand), "Constant"))) break;
    dead.push_back(next);
    out = nodes_[static_cast<size_t>(next)].output(0);
  }
  onnx::NodeProto& fused = replace(dead, dead.back(), "LayerNormalization", {x}, out, "layernorm");
  *fused.add_attribute() = int_attribute("axis", axes->front());
  return true;
}

// [ReduceMax(x), Sub(x, max),] Exp, ReduceSum(keepdims), Div(exp, sum): softmax along the summed axis.
bool Fuser::softmax(int i) {
  if (!is_op(i, "Exp")) return false;
  const std::string e = nodes_[static_cast<size_t>(i)].output(0);
  const auto users = consumers_.find(e);
  if (users == consumers_.end() || users->second.size() != 2 || outputs_.count(e)) return false;
  int sum = -1, div = -1;
  for (const int u : users->second) {
    if (is_op(u, "ReduceSum") && nodes_[static_cast<size_t>(u)].input(0) == e) sum = u;
    if (is_op(u, "Div") && nodes_[static_cast<size_t>(u)].input(0) == e) div = u;
  }
  if (sum < 0 || div < 0 || nodes_[static_cast<size_t>(div)].input(1) != nodes_[static_cast<size_t>(sum)].output(0) ||
      !single_use(nodes_[static_cast<size_t>(sum)].output(0))) {
    return false;
  }
  const auto axes = reduce_axes(sum);
  if (!axes || axes->size() != 1) return false;
  std::vector<int> dead{i, sum, div};
  std::string x = nodes_[static_cast<size_t>(i)].input(0);
  const int shift = producer(x);
  if (is_op(shift, "Sub") && single_use(x)) {  // the max subtracted for stability
    const onnx::NodeProto& s = nodes_[static_cast<size_t>(shift)];
    const int max = producer(s.input(1));
    if (is_op(max, "ReduceMax") && nodes_[static_cast<size_t>(max)].input(0) == s.input(0) && single_use(s.input(1))) {
      dead.insert(dead.begin(), {max, shift});
      x = s.input(0);
    }
  }
  onnx::NodeProto& fused = replace(dead, div, "Softmax", {x}, nodes_[static_cast<size_t>(div)].output(0), "softmax");
  *fused.add_attribute() = int_attribute("axis", axes->front());
  return true;
}

// Add(MatMul(a, W), b) with a constant W and bias b: the bias is added in the matmul's output path.
bool Fuser::matmul_bias(int i) {
  if (!is_op(i, "MatMul")) return false;
  const onnx::NodeProto& mm = nodes_[static_cast<size_t>(i)];
  if (mm.input_size() != 2 || initializers_.count(mm.input(1)) == 0) return false;
  const int add = only_consumer(mm.output(0), "Add");
  if (add < 0) return false;
  const std::string bias = other(add, mm.output(0));
  const auto it = initializers_.find(bias);
  if (it == initializers_.end() || it->second->dims_size() != 1) return false;
  replace({i, add}, add, "MatMul", {mm.input(0), mm.input(1), bias}, nodes_[static_cast<size_t>(add)].output(0),
          "matmul_bias");
  return true;
}

}  // namespace npusim::onnx_detail

#endif  // NPUSIM_HAVE_ONNX
