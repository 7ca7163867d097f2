// npusim op trace reader: JSON -> validated operators, dependency order, requests.
#include "workloads/importers/trace_json.h"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "arch/spec/input_error.h"
#include "workloads/exporters/trace_schema.h"
#include "arch/spec/input_file.h"
#include "arch/spec/json_text.h"
#include "workloads/importers/trace_checks.h"
#include "workloads/importers/trace_field_reader.h"
#include "workloads/importers/trace_graph.h"

namespace npusim {
namespace {

ParsedTraceOperator parse_operator(const nlohmann::json& value, size_t index, const std::string& file,
                              const TraceImportOptions& options) {
  const std::string path = "operators[" + std::to_string(index) + "]";
  TraceFieldReader reader(value, file, path);
  ParsedTraceOperator parsed;
  Operator& op = parsed.op;
  op.name = *reader.string("name", TraceNeed::kRequired, true);
  try {
    reader.choice("op", op.kind, trace_op_kinds(), TraceNeed::kRequired);
    op.dtype = options.default_dtype;
    if (const auto dtype_text = reader.string("dtype", TraceNeed::kOptional, false)) {
      const auto dtype = parse_dtype(*dtype_text);
      if (!dtype) reader.fail("dtype", "'" + *dtype_text + "' is not one of: " + known_dtype_names());
      op.dtype = *dtype;
    }
    if (const nlohmann::json* batch = reader.get("batch", TraceNeed::kOptional, "")) {
      op.batch = static_cast<uint32_t>(reader.integer("batch", *batch, 1, kTraceMaxBatch));
    }
    if (const nlohmann::json* inputs = reader.get("inputs", TraceNeed::kOptional, "")) {
      if (!inputs->is_array()) {
        reader.fail("inputs", "expected a list of operator names or indices, got " + describe_trace_value(*inputs));
      }
      for (const auto& item : *inputs) parsed.input_refs.push_back(&item);
    }
    op.params = trace_default_params(op.kind);
    trace_params(reader, op.params);
    reader.choice("activation", op.activation, trace_activations(), TraceNeed::kOptional);
    reader.finish();
    const auto [field, expectation] = check_trace_operator(op);
    if (!field.empty()) reader.fail(field, expectation);
  } catch (const InputError& error) {
    throw InputError(error.file(), error.where(), error.message() + " (operator '" + op.name + "')");
  }
  return parsed;
}

std::vector<InferenceRequest> parse_requests(const nlohmann::json& value, const std::string& file) {
  if (!value.is_array())
    throw InputError(file, "requests", "expected a list of requests, got " + describe_trace_value(value));
  std::vector<InferenceRequest> requests;
  std::set<std::string> ids;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string path = "requests[" + std::to_string(i) + "]";
    TraceFieldReader reader(value[i], file, path);
    InferenceRequest request;
    request.id = reader.string("id", TraceNeed::kOptional, true).value_or("r" + std::to_string(i));
    reader.number("arrival_ns", request.arrival_ns, TraceNeed::kRequired, 0);
    reader.number("batch", request.batch, TraceNeed::kOptional, 1);
    reader.number("input_tokens", request.input_tokens, TraceNeed::kOptional, 0);
    reader.number("output_tokens", request.output_tokens, TraceNeed::kOptional, 0);
    reader.finish();
    if (!ids.insert(request.id).second)
      reader.fail("id", "expected a unique id, '" + request.id + "' repeats");
    if (!requests.empty() && request.arrival_ns < requests.back().arrival_ns) {
      reader.fail("arrival_ns", "expected arrivals in non-decreasing order, got " +
                                    std::to_string(request.arrival_ns) + " after " +
                                    std::to_string(requests.back().arrival_ns));
    }
    requests.push_back(std::move(request));
  }
  return requests;
}

// The "format" and "version" fields: this file is an npusim op trace of the version this build reads.
void check_format(TraceFieldReader& reader) {
  const std::string expected_format = std::string("\"") + kTraceFormatName + "\"";
  const nlohmann::json* format =
      reader.get("format", TraceNeed::kRequired, expected_format + " (is this an npusim op trace?)");
  if (!format->is_string() || format->get<std::string>() != kTraceFormatName) {
    reader.fail("format", "expected " + expected_format + ", got " + describe_trace_value(*format));
  }
  const nlohmann::json* version =
      reader.get("version", TraceNeed::kRequired, std::to_string(kTraceFormatVersion));
  if (!(version->is_number_integer() && version->get<int64_t>() == kTraceFormatVersion)) {
    reader.fail("version", "expected " + std::to_string(kTraceFormatVersion) +
                               " (the trace version this npusim reads), got " + describe_trace_value(*version));
  }
}

// The operators in dependency order, each one's inputs as indices into that order.
std::vector<Operator> parse_operators(const nlohmann::json& operators, const std::string& file,
                                      const TraceImportOptions& options) {
  std::vector<ParsedTraceOperator> parsed;
  parsed.reserve(operators.size());
  for (size_t i = 0; i < operators.size(); ++i) parsed.push_back(parse_operator(operators[i], i, file, options));
  const std::vector<std::vector<uint32_t>> inputs = resolve_trace_inputs(parsed, file);
  const std::vector<size_t> order = trace_dependency_order(inputs, parsed, file);
  std::vector<uint32_t> new_index(order.size());
  for (size_t k = 0; k < order.size(); ++k) new_index[order[k]] = static_cast<uint32_t>(k);
  std::vector<Operator> ops;
  ops.reserve(order.size());
  for (size_t old : order) {
    Operator op = std::move(parsed[old].op);
    for (uint32_t producer : inputs[old]) op.inputs.push_back(new_index[producer]);
    ops.push_back(std::move(op));
  }
  return ops;
}

}  // namespace

Workload parse_trace_json(const std::string& text, const std::string& file,
                          const TraceImportOptions& options) {
  const nlohmann::json root = parse_json_text(text, file);
  if (!root.is_object()) {
    throw InputError(file, "<root>",
                     std::string("expected an npusim trace object {\"format\": \"") + kTraceFormatName +
                         "\", ...}, got " + describe_trace_value(root));
  }
  TraceFieldReader reader(root, file, "");
  check_format(reader);
  Workload workload;
  workload.name =
      reader.string("name", TraceNeed::kOptional, true).value_or(std::filesystem::path(file).stem().string());
  workload.source = file;
  for (const char* info : {"$schema", "origin", "generator", "description"}) {
    reader.string(info, TraceNeed::kOptional, false);  // informational
  }
  const nlohmann::json* operators = reader.get("operators", TraceNeed::kRequired, "a non-empty list of operators");
  if (!operators->is_array() || operators->empty()) {
    reader.fail("operators", "expected a non-empty list of operators, got " + describe_trace_value(*operators));
  }
  if (const nlohmann::json* requests = reader.get("requests", TraceNeed::kOptional, "")) {
    workload.requests = parse_requests(*requests, file);
  }
  reader.finish();

  workload.ops = parse_operators(*operators, file, options);
  return workload;
}

Workload load_trace_json(const std::string& path, const TraceImportOptions& options) {
  return parse_trace_json(read_input_file(path, "trace file"), path, options);
}

}  // namespace npusim
