#include "workloads/importers/trace_checks.h"

#include "workloads/exporters/trace_schema.h"

namespace npusim {
namespace {

// Per-operator size bounds on top of the field bounds (trace_schema.h): far beyond any real layer, and
// small enough that elements, MACs and bytes stay inside 64 bits.
constexpr double kMaxElements = 1e15;  // per operator: outputs and inputs
constexpr double kMaxMacs = 1e18;

// Parameters that must agree with each other.
std::pair<std::string, std::string> check_parameters(const Operator& op) {
  auto padded_fits = [](uint32_t in, uint32_t pad_a, uint32_t pad_b, uint32_t kernel) {
    return uint64_t{in} + pad_a + pad_b >= kernel && uint64_t{in} + pad_a + pad_b <= kTraceMaxDim;
  };
  if (const auto* conv = std::get_if<ConvParams>(&op.params)) {
    if (conv->in_c % conv->groups != 0 || conv->out_c % conv->groups != 0) {
      return {"groups", "expected a divisor of input channels (" + std::to_string(conv->in_c) +
                            ") and out_channels (" + std::to_string(conv->out_c) + "), got " +
                            std::to_string(conv->groups)};
    }
    if (!padded_fits(conv->in_h, conv->pad_top, conv->pad_bottom, conv->kernel_h) ||
        !padded_fits(conv->in_w, conv->pad_left, conv->pad_right, conv->kernel_w)) {
      return {"kernel", "expected a kernel no larger than the padded input (input + pads)"};
    }
  } else if (const auto* pool = std::get_if<PoolParams>(&op.params)) {
    if (!pool->global && (!padded_fits(pool->in_h, pool->pad_top, pool->pad_bottom, pool->kernel_h) ||
                          !padded_fits(pool->in_w, pool->pad_left, pool->pad_right, pool->kernel_w))) {
      return {"kernel", "expected a kernel no larger than the padded input (input + pads)"};
    }
    if (pool->global && (pool->kernel_h != pool->in_h || pool->kernel_w != pool->in_w)) {
      return {"kernel", "expected a global pool's kernel to be its input extent [" +
                            std::to_string(pool->in_h) + ", " + std::to_string(pool->in_w) +
                            "] (or no kernel)"};
    }
  } else if (const auto* mm = std::get_if<MatMulParams>(&op.params)) {
    if (mm->tied_weights && !mm->b_is_weight) return {"tied_weights", "expected only with b_is_weight"};
  } else if (const auto* rope = std::get_if<RotaryParams>(&op.params)) {
    if (rope->head_dim % 2 != 0) {
      return {"head_dim", "expected an even head_dim (rotary pairs), got " + std::to_string(rope->head_dim)};
    }
  } else if (const auto* att = std::get_if<AttentionParams>(&op.params)) {
    if (att->heads % att->kv_heads != 0) {
      return {"kv_heads", "expected a divisor of heads (" + std::to_string(att->heads) + "), got " +
                              std::to_string(att->kv_heads)};
    }
  }
  return {};
}

// Sizes, estimated in floating point so the check itself cannot overflow.
std::pair<std::string, std::string> check_sizes(const Operator& op) {
  const double batch = op.batch;
  double in_elements = 0, out_elements = 0, macs = 0;
  if (const auto* conv = std::get_if<ConvParams>(&op.params)) {
    in_elements = batch * conv->in_h * conv->in_w * conv->in_c;
    out_elements = batch * conv_out_h(*conv) * conv_out_w(*conv) * conv->out_c;
    macs = out_elements * conv->kernel_h * conv->kernel_w * (conv->in_c / conv->groups);
  } else if (const auto* mm = std::get_if<MatMulParams>(&op.params)) {
    in_elements = batch * static_cast<double>(mm->m) * static_cast<double>(mm->k) +
                  static_cast<double>(mm->k) * static_cast<double>(mm->n) * batch;
    out_elements = batch * static_cast<double>(mm->m) * static_cast<double>(mm->n);
    macs = out_elements * static_cast<double>(mm->k);
  } else if (const auto* pool = std::get_if<PoolParams>(&op.params)) {
    in_elements = batch * pool->in_h * pool->in_w * pool->channels;
    out_elements = in_elements;
  } else if (const auto* elt = std::get_if<EltwiseParams>(&op.params)) {
    out_elements = batch * static_cast<double>(elt->elements);
    in_elements = out_elements * elt->inputs;
  } else if (const auto* row = std::get_if<RowParams>(&op.params)) {
    out_elements = batch * static_cast<double>(row->rows) * static_cast<double>(row->width);
  } else if (const auto* rope = std::get_if<RotaryParams>(&op.params)) {
    out_elements = batch * static_cast<double>(rope->tokens) * rope->heads * rope->head_dim;
  } else if (const auto* emb = std::get_if<EmbeddingParams>(&op.params)) {
    out_elements = batch * static_cast<double>(emb->tokens) * static_cast<double>(emb->width);
    in_elements = static_cast<double>(emb->table_rows) * static_cast<double>(emb->width);
  } else if (const auto* att = std::get_if<AttentionParams>(&op.params)) {
    const double kv_len = static_cast<double>(att->past_len) + static_cast<double>(att->q_len);
    out_elements = batch * static_cast<double>(att->q_len) * att->heads * att->head_dim;
    in_elements = batch * kv_len * att->heads * att->head_dim * 3;
    macs = 2 * out_elements * kv_len;
  }
  if (in_elements > kMaxElements || out_elements > kMaxElements || macs > kMaxMacs) {
    return {"op",
            "expected an operator below 1e15 elements per tensor and 1e18 MACs (too large to simulate)"};
  }
  return {};
}


}  // namespace

std::pair<std::string, std::string> check_trace_operator(const Operator& op) {
  auto problem = check_parameters(op);
  return problem.first.empty() ? check_sizes(op) : problem;
}

}  // namespace npusim
