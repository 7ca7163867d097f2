// The npusim op trace's vocabulary: op names, the params struct each op kind carries, and one field list
// per params struct. The same field list drives the writer (IR -> JSON) and the reader (JSON -> IR), so
// the two cannot drift apart; traces/README.md and traces/npusim-trace.schema.json document it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "workloads/ir/operator.h"

namespace npusim {

inline constexpr const char* kTraceFormatName = "npusim-trace";
constexpr int kTraceFormatVersion = 1;

// Value bounds of the format: 32-bit shape fields stay below 2^31 (the IR's shape math), 64-bit counts
// below 2^40, batches as `npusim run --batch`; every derived quantity then fits in 64 bits.
constexpr uint64_t kTraceMaxDim = 2147483647;
constexpr uint64_t kTraceMaxCount = uint64_t{1} << 40;
constexpr uint64_t kTraceMaxBatch = 1000000;

// Whether a trace may omit a field (the IR struct's default stands) or must give it.
enum class TraceNeed : uint8_t { kRequired, kOptional };

// The params alternative an op kind carries (conv2d -> ConvParams, softmax -> RowParams, ...).
OpParams trace_default_params(OpKind kind);

// Every value of an IR enum with its name, in declaration order, found by walking the values until the
// name function answers "?": a kind added to the IR joins the format without a second table.
template <typename Enum>
std::vector<std::pair<std::string, Enum>> enum_names(const char* (*name_of)(Enum)) {
  std::vector<std::pair<std::string, Enum>> out;
  for (int value = 0; value < 256; ++value) {
    const Enum e = static_cast<Enum>(value);
    const std::string name = name_of(e);
    if (name == "?") break;
    out.emplace_back(name, e);
  }
  return out;
}

inline const std::vector<std::pair<std::string, OpKind>>& trace_op_kinds() {
  static const auto names = enum_names<OpKind>(&op_kind_name);
  return names;
}
inline const std::vector<std::pair<std::string, EltwiseKind>>& trace_eltwise_kinds() {
  static const auto names = enum_names<EltwiseKind>(&eltwise_kind_name);
  return names;
}
inline const std::vector<std::pair<std::string, Activation>>& trace_activations() {
  static const auto names = enum_names<Activation>(&activation_name);
  return names;
}

// Field lists. `io` offers:
//   dims(key, {&a, &b, ...}, need, min)  a fixed-length list of uint32 values, each >= min
//   number(key, value, need, min)        one uint32 or uint64 value >= min
//   flag(key, value)                     an optional boolean
//   choice(key, value, names, need)      an enum by name
//   present(key)                         whether the trace gives the key (the writer: always)
template <typename Io>
void trace_fields(Io& io, ConvParams& p) {
  io.dims("input", {&p.in_h, &p.in_w, &p.in_c}, TraceNeed::kRequired, 1);  // per batch item, [H, W, C]
  io.number("out_channels", p.out_c, TraceNeed::kRequired, 1);
  io.dims("kernel", {&p.kernel_h, &p.kernel_w}, TraceNeed::kRequired, 1);
  io.dims("stride", {&p.stride_h, &p.stride_w}, TraceNeed::kOptional, 1);
  // ONNX's order: begins then ends.
  io.dims("pads", {&p.pad_top, &p.pad_left, &p.pad_bottom, &p.pad_right}, TraceNeed::kOptional, 0);
  io.number("groups", p.groups, TraceNeed::kOptional, 1);
  io.flag("bias", p.bias);
}

template <typename Io>
void trace_fields(Io& io, MatMulParams& p) {
  io.number("m", p.m, TraceNeed::kOptional, 1);  // rows per batch item
  io.number("n", p.n, TraceNeed::kRequired, 1);
  io.number("k", p.k, TraceNeed::kRequired, 1);
  io.flag("b_is_weight", p.b_is_weight);
  io.flag("bias", p.bias);
  io.flag("tied_weights", p.tied_weights);
  io.number("experts", p.experts, TraceNeed::kOptional, 0);
}

template <typename Io>
void trace_fields(Io& io, PoolParams& p) {
  io.dims("input", {&p.in_h, &p.in_w, &p.channels}, TraceNeed::kRequired, 1);
  io.flag("global", p.global);
  io.dims("kernel", {&p.kernel_h, &p.kernel_w}, p.global ? TraceNeed::kOptional : TraceNeed::kRequired, 1);
  if (p.global && !io.present("kernel")) {  // a global window spans the input
    p.kernel_h = p.in_h;
    p.kernel_w = p.in_w;
  }
  io.dims("stride", {&p.stride_h, &p.stride_w}, TraceNeed::kOptional, 1);
  io.dims("pads", {&p.pad_top, &p.pad_left, &p.pad_bottom, &p.pad_right}, TraceNeed::kOptional, 0);
}

template <typename Io>
void trace_fields(Io& io, EltwiseParams& p) {
  io.choice("function", p.kind, trace_eltwise_kinds(), TraceNeed::kRequired);
  io.number("elements", p.elements, TraceNeed::kRequired, 1);  // per batch item
  io.number("operands", p.inputs, TraceNeed::kOptional, 1);    // tensors read
}

template <typename Io>
void trace_fields(Io& io, RowParams& p) {
  io.number("rows", p.rows, TraceNeed::kRequired, 1);  // per batch item
  io.number("width", p.width, TraceNeed::kRequired, 1);
}

template <typename Io>
void trace_fields(Io& io, RotaryParams& p) {
  io.number("tokens", p.tokens, TraceNeed::kRequired, 1);
  io.number("heads", p.heads, TraceNeed::kRequired, 1);
  io.number("head_dim", p.head_dim, TraceNeed::kRequired, 2);
}

template <typename Io>
void trace_fields(Io& io, EmbeddingParams& p) {
  io.number("tokens", p.tokens, TraceNeed::kRequired, 1);
  io.number("table_rows", p.table_rows, TraceNeed::kRequired, 1);
  io.number("width", p.width, TraceNeed::kRequired, 1);
}

template <typename Io>
void trace_fields(Io& io, AttentionParams& p) {
  io.number("heads", p.heads, TraceNeed::kRequired, 1);
  if (!io.present("kv_heads")) p.kv_heads = p.heads;  // multi-head attention unless told otherwise
  io.number("kv_heads", p.kv_heads, TraceNeed::kOptional, 1);
  io.number("head_dim", p.head_dim, TraceNeed::kRequired, 1);
  io.number("q_len", p.q_len, TraceNeed::kRequired, 1);
  io.number("past_len", p.past_len, TraceNeed::kOptional, 0);
  io.flag("causal", p.causal);
  io.flag("kv_cache", p.kv_cache);
  io.flag("fused", p.fused);
}

template <typename Io>
void trace_params(Io& io, OpParams& params) {
  std::visit([&io](auto& p) { trace_fields(io, p); }, params);
}

}  // namespace npusim
