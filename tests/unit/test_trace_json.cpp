// npusim op traces: every zoo model survives export -> import as an equal IR; the committed JSON Schema
// matches the one generated from the field lists; dependencies, defaults and requests; bad traces fail
// with one error naming the file, the operator and what was expected.
#include <doctest/doctest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <tuple>

#include "arch/spec/input_error.h"
#include "tests/support/input_error_of.h"
#include "workloads/exporters/trace_export.h"
#include "workloads/exporters/trace_json_schema.h"
#include "workloads/importers/trace_json.h"
#include "workloads/zoo/model_zoo.h"

using namespace npusim_test;

namespace {

using npusim::DType;
using npusim::InputError;
using npusim::Operator;
using npusim::OpKind;
using npusim::Workload;

// If one of these fails, a field was added to the IR: add it to the trace format (trace_schema.h), to
// same_params() below, regenerate traces/npusim-trace.schema.json (npusim export-trace --schema) and
// describe it in traces/README.md.
static_assert(sizeof(npusim::ConvParams) == 56);
static_assert(sizeof(npusim::MatMulParams) == 32);
static_assert(sizeof(npusim::PoolParams) == 48);
static_assert(sizeof(npusim::EltwiseParams) == 16);
static_assert(sizeof(npusim::RowParams) == 16);
static_assert(sizeof(npusim::RotaryParams) == 16);
static_assert(sizeof(npusim::EmbeddingParams) == 24);
static_assert(sizeof(npusim::AttentionParams) == 40);
static_assert(std::variant_size_v<npusim::OpParams> == 8);
static_assert(sizeof(npusim::Operator) == 136);
static_assert(sizeof(npusim::InferenceRequest) == 64);

bool same(const npusim::ConvParams& a, const npusim::ConvParams& b) {
  return std::tie(a.in_h, a.in_w, a.in_c, a.out_c, a.kernel_h, a.kernel_w, a.stride_h, a.stride_w, a.pad_top,
                  a.pad_bottom, a.pad_left, a.pad_right, a.groups, a.bias) ==
         std::tie(b.in_h, b.in_w, b.in_c, b.out_c, b.kernel_h, b.kernel_w, b.stride_h, b.stride_w, b.pad_top,
                  b.pad_bottom, b.pad_left, b.pad_right, b.groups, b.bias);
}
bool same(const npusim::MatMulParams& a, const npusim::MatMulParams& b) {
  return std::tie(a.m, a.n, a.k, a.b_is_weight, a.bias, a.tied_weights) ==
         std::tie(b.m, b.n, b.k, b.b_is_weight, b.bias, b.tied_weights);
}
bool same(const npusim::PoolParams& a, const npusim::PoolParams& b) {
  return std::tie(a.in_h, a.in_w, a.channels, a.kernel_h, a.kernel_w, a.stride_h, a.stride_w, a.pad_top,
                  a.pad_bottom, a.pad_left, a.pad_right, a.global) ==
         std::tie(b.in_h, b.in_w, b.channels, b.kernel_h, b.kernel_w, b.stride_h, b.stride_w, b.pad_top,
                  b.pad_bottom, b.pad_left, b.pad_right, b.global);
}
bool same(const npusim::EltwiseParams& a, const npusim::EltwiseParams& b) {
  return std::tie(a.elements, a.inputs, a.kind) == std::tie(b.elements, b.inputs, b.kind);
}
bool same(const npusim::RowParams& a, const npusim::RowParams& b) {
  return std::tie(a.rows, a.width) == std::tie(b.rows, b.width);
}
bool same(const npusim::RotaryParams& a, const npusim::RotaryParams& b) {
  return std::tie(a.tokens, a.heads, a.head_dim) == std::tie(b.tokens, b.heads, b.head_dim);
}
bool same(const npusim::EmbeddingParams& a, const npusim::EmbeddingParams& b) {
  return std::tie(a.tokens, a.table_rows, a.width) == std::tie(b.tokens, b.table_rows, b.width);
}
bool same(const npusim::AttentionParams& a, const npusim::AttentionParams& b) {
  return std::tie(a.heads, a.kv_heads, a.head_dim, a.q_len, a.past_len, a.causal, a.kv_cache, a.fused) ==
         std::tie(b.heads, b.kv_heads, b.head_dim, b.q_len, b.past_len, b.causal, b.kv_cache, b.fused);
}

void check_same_op(const Operator& a, const Operator& b) {
  CAPTURE(a.name);
  CHECK(a.name == b.name);
  CHECK(a.kind == b.kind);
  CHECK(a.dtype == b.dtype);
  CHECK(a.batch == b.batch);
  CHECK(a.activation == b.activation);
  CHECK(a.inputs == b.inputs);
  REQUIRE(a.params.index() == b.params.index());
  CHECK(std::visit([&b](const auto& p) { return same(p, std::get<std::decay_t<decltype(p)>>(b.params)); },
                   a.params));
}

void check_same_workload(const Workload& a, const Workload& b) {
  CHECK(a.name == b.name);
  REQUIRE(a.ops.size() == b.ops.size());
  for (size_t i = 0; i < a.ops.size(); ++i) check_same_op(a.ops[i], b.ops[i]);
  REQUIRE(a.requests.size() == b.requests.size());
  for (size_t i = 0; i < a.requests.size(); ++i) {
    const auto& x = a.requests[i];
    const auto& y = b.requests[i];
    CHECK(std::tie(x.id, x.arrival_ns, x.batch, x.input_tokens, x.output_tokens) ==
          std::tie(y.id, y.arrival_ns, y.batch, y.input_tokens, y.output_tokens));
  }
}

// The spec each zoo entry is exported with: its defaults, plus the parameters an entry requires.
std::string zoo_spec(const std::string& name) {
  if (name == "gemm" || name == "matmul") return name + ":m=64,n=48,k=32,batch=2";
  if (name == "conv") return "conv:h=17,w=13,c=8,k=16,r=3,s=5,stride=2,pad=1,groups=4";
  if (name == "fc") return "fc:in=300,out=17";
  return name;
}

Workload parse(const std::string& text) {
  return npusim::parse_trace_json(text, "t.json", npusim::TraceImportOptions{DType::kFp16});
}

// The single error a bad trace raises: "t.json: <where>: <message>".
std::string error_of(const std::string& text) {
  return input_error_of([&] { parse(text); }, "(no error)");
}

std::string trace_of(const std::string& operators, const std::string& extra = "") {
  return R"({"format": "npusim-trace", "version": 1, "name": "t", "operators": [)" + operators + "]" + extra +
         "}";
}

const char* const kConv =
    R"({"name": "c1", "op": "conv2d", "input": [8, 8, 4], "out_channels": 8, "kernel": [3, 3], "pads": [1, 1, 1, 1]})";

}  // namespace

TEST_CASE("trace: every zoo model round-trips through an npusim trace to an equal IR") {
  for (const auto& entry : npusim::zoo_entries()) {
    CAPTURE(entry.name);
    const Workload zoo =
        npusim::build_zoo_workload(npusim::parse_workload_spec(zoo_spec(entry.name)), DType::kBf16);
    const std::string text = npusim::workload_to_trace_text(zoo);
    const Workload replay =
        npusim::parse_trace_json(text, "zoo.json", npusim::TraceImportOptions{DType::kInt8});
    check_same_workload(zoo, replay);
    CHECK(replay.source == "zoo.json");
    // The writer is deterministic and a fixed point: replay -> text gives the same text.
    CHECK(npusim::workload_to_trace_text(replay, zoo.source) == text);
  }
}

TEST_CASE("trace: traces/npusim-trace.schema.json is the schema generated from the field lists") {
  std::ifstream in(std::string(NPUSIM_SOURCE_DIR) + "/traces/npusim-trace.schema.json");
  REQUIRE(in.good());
  const auto committed = nlohmann::json::parse(in);
  // On failure: build/npusim export-trace --schema --out traces/npusim-trace.schema.json
  CHECK(committed == nlohmann::json(npusim::trace_json_schema()));
}

TEST_CASE("trace: defaults, inputs by name or index, and a stable dependency order") {
  // Listed consumer-first: the importer moves each producer before its consumers and keeps the rest.
  const Workload w = parse(trace_of(
      R"({"name": "add", "op": "eltwise", "function": "add", "elements": 512, "operands": 2, "inputs": ["c1", 2]},)" +
      std::string(kConv) +
      R"(, {"name": "c2", "op": "conv2d", "input": [8, 8, 8], "out_channels": 8, "kernel": [1, 1], "inputs": [1], "batch": 3, "dtype": "int8"})"));
  REQUIRE(w.ops.size() == 3);
  CHECK(w.name == "t");
  CHECK(w.ops[0].name == "c1");
  CHECK(w.ops[1].name == "c2");
  CHECK(w.ops[2].name == "add");
  CHECK(w.ops[2].inputs == std::vector<uint32_t>{0, 1});
  CHECK(w.ops[1].inputs == std::vector<uint32_t>{0});
  // Omitted fields take the IR's defaults; dtype falls back to the run's (fp16 here).
  const auto& c1 = std::get<npusim::ConvParams>(w.ops[0].params);
  CHECK(c1.stride_h == 1);
  CHECK(c1.groups == 1);
  CHECK(c1.pad_left == 1);
  CHECK(w.ops[0].batch == 1);
  CHECK(w.ops[0].dtype == DType::kFp16);
  CHECK(w.ops[1].dtype == DType::kInt8);
  CHECK(w.ops[1].batch == 3);
  // 8x8 output, 8 filters, 3*3*4 = 36 per output: 8*8*8*36 = 18432 MACs.
  CHECK(npusim::op_macs(w.ops[0]) == 18432);
}

TEST_CASE("trace: global pools default their kernel, attention defaults kv_heads to heads") {
  const Workload w = parse(trace_of(
      R"({"name": "gap", "op": "avgpool", "input": [7, 5, 64], "global": true},
         {"name": "att", "op": "attention", "heads": 12, "head_dim": 64, "q_len": 128, "causal": true})"));
  const auto& pool = std::get<npusim::PoolParams>(w.ops[0].params);
  CHECK(pool.kernel_h == 7);
  CHECK(pool.kernel_w == 5);
  const auto& att = std::get<npusim::AttentionParams>(w.ops[1].params);
  CHECK(att.kv_heads == 12);
  CHECK(att.causal);
  CHECK(att.fused);  // the IR's default
}

TEST_CASE("trace: requests are validated and carried as workload metadata") {
  const Workload w = parse(trace_of(
      kConv,
      R"(, "requests": [{"id": "a", "arrival_ns": 0}, {"arrival_ns": 1500, "batch": 4, "input_tokens": 128,
                 "output_tokens": 32}])"));
  REQUIRE(w.requests.size() == 2);
  CHECK(w.requests[0].id == "a");
  CHECK(w.requests[1].id == "r1");  // default id: r<index>
  CHECK(w.requests[1].arrival_ns == 1500);
  CHECK(w.requests[1].batch == 4);
  CHECK(w.requests[1].input_tokens == 128);
  const Workload again = parse(npusim::workload_to_trace_text(w));
  check_same_workload(w, again);

  CHECK(error_of(trace_of(kConv, R"(, "requests": [{"arrival_ns": 9}, {"arrival_ns": 3}])")) ==
        "t.json: requests[1].arrival_ns: expected arrivals in non-decreasing order, got 3 after 9");
  CHECK(error_of(trace_of(kConv,
                          R"(, "requests": [{"id": "x", "arrival_ns": 1}, {"id": "x", "arrival_ns": 3}])")) ==
        "t.json: requests[1].id: expected a unique id, 'x' repeats");
  CHECK(error_of(trace_of(kConv, R"(, "requests": [{"batch": 2}])")) ==
        "t.json: requests[0].arrival_ns: missing; expected a non-negative integer up to 1099511627776");
}

TEST_CASE("trace: bad traces name the file, the operator and what was expected") {
  // Not JSON at all, and JSON cut short: line and column of the failure.
  CHECK(error_of("{\n  \"format\": \"npusim-trace\",\n  \"version\": 1,\n  \"operators\": [")
            .rfind("t.json: line 4, column 17: expected valid JSON (", 0) == 0);
  // A number too large for a double (found by the fuzzer: nlohmann throws out_of_range, not parse_error).
  CHECK(error_of("{\"format\": 9e999999}") ==
        "t.json: line 1, column 19: expected valid JSON (number overflow parsing '9e999999')");
  CHECK(error_of("[1, 2]") ==
        "t.json: <root>: expected an npusim trace object {\"format\": \"npusim-trace\", ...}, got [1,2]");
  CHECK(error_of(R"({"array": {"rows": 4}})") ==
        "t.json: format: missing; expected \"npusim-trace\" (is this an npusim op trace?)");
  CHECK(error_of(R"({"format": "npusim-trace", "version": 2, "operators": []})") ==
        "t.json: version: expected 1 (the trace version this npusim reads), got 2");
  CHECK(error_of(trace_of("")) == "t.json: operators: expected a non-empty list of operators, got []");
  // Unknown op type, missing shape field, negative and zero dimensions, wrong list lengths, unknown fields.
  CHECK(error_of(trace_of(R"({"name": "x", "op": "conv3d"})"))
            .rfind("t.json: operators[0].op: \"conv3d\" is not one of: conv2d, fc, matmul, maxpool, avgpool, "
                   "eltwise",
                   0) == 0);
  CHECK(error_of(trace_of(R"({"name": "x", "op": "conv2d", "input": [8, 8, 4], "out_channels": 8})")) ==
        "t.json: operators[0].kernel: missing; expected a list of 2 positive integers (operator 'x')");
  CHECK(error_of(trace_of(
            R"({"name": "x", "op": "conv2d", "input": [8, -8, 4], "out_channels": 8, "kernel": [1, 1]})")) ==
        "t.json: operators[0].input[1]: expected a positive integer up to 2147483647, got -8 (operator 'x')");
  CHECK(
      error_of(trace_of(R"({"name": "x", "op": "eltwise", "function": "add", "elements": 0})")) ==
      "t.json: operators[0].elements: expected a positive integer up to 1099511627776, got 0 (operator 'x')");
  CHECK(error_of(trace_of(
            R"({"name": "x", "op": "conv2d", "input": [8, 8], "out_channels": 8, "kernel": [1, 1]})")) ==
        "t.json: operators[0].input: expected a list of 3 positive integers, got [8,8] (operator 'x')");
  CHECK(error_of(trace_of(R"({"name": "x", "op": "fc", "n": 8, "k": 8, "kernel": [1, 1]})")) ==
        "t.json: operators[0].kernel: unknown field (operator 'x')");
  CHECK(error_of(trace_of(R"({"op": "fc", "n": 8, "k": 8})")) ==
        "t.json: operators[0].name: missing; expected a string");
  CHECK(error_of(trace_of(R"({"name": "x", "op": "fc", "n": 8, "k": 8, "dtype": "int4"})")) ==
        "t.json: operators[0].dtype: 'int4' is not one of: int8, fp8, fp16, bf16, fp32 (operator 'x')");
  // Shapes that cannot be: a kernel larger than the padded input, groups that do not divide.
  CHECK(error_of(trace_of(
            R"({"name": "x", "op": "conv2d", "input": [2, 2, 4], "out_channels": 8, "kernel": [5, 5]})")) ==
        "t.json: operators[0].kernel: expected a kernel no larger than the padded input (input + pads) "
        "(operator 'x')");
  CHECK(error_of(trace_of(
            R"({"name": "x", "op": "avgpool", "input": [7, 7, 8], "global": true, "kernel": [3, 3]})")) ==
        "t.json: operators[0].kernel: expected a global pool's kernel to be its input extent [7, 7] (or no "
        "kernel) "
        "(operator 'x')");
  CHECK(
      error_of(trace_of(
          R"({"name": "x", "op": "conv2d", "input": [8, 8, 6], "out_channels": 8, "kernel": [1, 1], "groups": 4})")) ==
      "t.json: operators[0].groups: expected a divisor of input channels (6) and out_channels (8), got 4 "
      "(operator 'x')");
}

TEST_CASE("trace: dependency errors: unknown, ambiguous and out-of-range producers, and cycles") {
  const std::string fc = R"({"name": "%s", "op": "fc", "n": 8, "k": 8, "inputs": [%s]})";
  auto op = [&fc](const std::string& name, const std::string& inputs) {
    std::string text = fc;
    text.replace(text.find("%s"), 2, name);
    text.replace(text.find("%s"), 2, inputs);
    return text;
  };
  CHECK(error_of(trace_of(op("a", "\"b\""))) ==
        "t.json: operators[0].inputs[0]: no operator is named \"b\" (operator 'a')");
  CHECK(error_of(trace_of(op("a", "") + "," + op("a", "") + "," + op("c", "\"a\""))) ==
        "t.json: operators[2].inputs[0]: several operators are named \"a\"; refer to one by index (operator "
        "'c')");
  CHECK(error_of(trace_of(op("a", "7"))) ==
        "t.json: operators[0].inputs[0]: expected an operator index below 1, got 7 (operator 'a')");
  CHECK(error_of(trace_of(op("a", "-1"))) ==
        "t.json: operators[0].inputs[0]: expected an operator name or index, got -1 (operator 'a')");
  CHECK(error_of(trace_of(op("a", "\"a\""))) ==
        "t.json: operators[0].inputs: expected dependencies without cycles, found 'a' -> 'a' (operator 'a')");
  // a -> b -> c -> a, entered below the input-free operator z.
  CHECK(error_of(trace_of(op("z", "") + "," + op("a", "\"c\", \"z\"") + "," + op("b", "\"a\"") + "," +
                          op("c", "\"b\""))) ==
        "t.json: operators[1].inputs: expected dependencies without cycles, found 'a' -> 'b' -> 'c' -> 'a' "
        "(operator 'a')");
}
