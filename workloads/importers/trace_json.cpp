// npusim op trace reader: JSON -> validated operators, dependency order, requests.
#include "workloads/importers/trace_json.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <queue>
#include <set>
#include <sstream>
#include <unordered_map>
#include <utility>
#include <vector>

#include "arch/spec/input_error.h"
#include "workloads/exporters/trace_schema.h"

namespace npusim {
namespace {

using Json = nlohmann::json;

// Per-operator size bounds on top of the field bounds (trace_schema.h): far beyond any real layer, and
// small enough that elements, MACs and bytes stay inside 64 bits.
constexpr uint64_t kMaxDim = kTraceMaxDim;
constexpr uint64_t kMaxCount = kTraceMaxCount;
constexpr uint64_t kMaxBatch = kTraceMaxBatch;
constexpr double kMaxElements = 1e15;  // per operator: outputs and inputs
constexpr double kMaxMacs = 1e18;

// Short form of a value for messages; never dumps a large or deeply nested value whole.
std::string describe(const Json& value) {
  if (value.is_array()) {
    bool flat = value.size() <= 8;
    for (const auto& item : value) flat = flat && item.is_primitive();
    return flat ? value.dump() : "a list of " + std::to_string(value.size()) + " items";
  }
  if (value.is_object()) return "an object";
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

std::string integer_expectation(uint64_t min, uint64_t max) {
  std::string what = min == 0   ? "a non-negative integer"
                     : min == 1 ? "a positive integer"
                                : "an integer >= " + std::to_string(min);
  return what + " up to " + std::to_string(max);
}

// The reader side of the field lists in trace_schema.h, plus the few generic reads the importer needs.
// Every error names the file and the dotted path; unknown keys are errors (finish()).
class FieldReader {
 public:
  FieldReader(const Json& object, const std::string& file, std::string path)
      : object_(object), file_(file), path_(std::move(path)) {
    if (!object_.is_object()) throw InputError(file_, path_, "expected an object, got " + describe(object_));
  }

  std::string path_of(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }
  [[noreturn]] void fail(const std::string& key, const std::string& expectation) const {
    throw InputError(file_, path_of(key), expectation);
  }
  bool present(const char* key) const { return object_.contains(key); }

  // The value at `key` (marked as read), or null when absent; a missing required key is an error.
  const Json* get(const char* key, TraceNeed need, const std::string& expectation) {
    seen_.insert(key);
    const auto it = object_.find(key);
    if (it != object_.end()) return &*it;
    if (need == TraceNeed::kRequired) fail(key, "missing; expected " + expectation);
    return nullptr;
  }

  uint64_t integer(const std::string& key, const Json& value, uint64_t min, uint64_t max) const {
    const bool ok =
        (value.is_number_unsigned() && value.get<uint64_t>() >= min && value.get<uint64_t>() <= max) ||
        (value.is_number_integer() && !value.is_number_unsigned() && value.get<int64_t>() >= 0 &&
         static_cast<uint64_t>(value.get<int64_t>()) >= min &&
         static_cast<uint64_t>(value.get<int64_t>()) <= max);
    if (!ok) fail(key, "expected " + integer_expectation(min, max) + ", got " + describe(value));
    return value.get<uint64_t>();
  }

  void dims(const char* key, std::initializer_list<uint32_t*> values, TraceNeed need, uint32_t min) {
    const std::string expectation = "a list of " + std::to_string(values.size()) + " " +
                                    (min == 0 ? "non-negative" : "positive") + " integers";
    const Json* value = get(key, need, expectation);
    if (value == nullptr) return;
    if (!value->is_array() || value->size() != values.size()) {
      fail(key, "expected " + expectation + ", got " + describe(*value));
    }
    size_t i = 0;
    for (uint32_t* out : values) {
      const std::string item_key = std::string(key) + "[" + std::to_string(i) + "]";
      *out = static_cast<uint32_t>(integer(item_key, (*value)[i++], min, kMaxDim));
    }
  }

  void number(const char* key, uint32_t& out, TraceNeed need, uint64_t min) {
    const Json* value = get(key, need, integer_expectation(min, kMaxDim));
    if (value != nullptr) out = static_cast<uint32_t>(integer(key, *value, min, kMaxDim));
  }
  void number(const char* key, uint64_t& out, TraceNeed need, uint64_t min) {
    const Json* value = get(key, need, integer_expectation(min, kMaxCount));
    if (value != nullptr) out = integer(key, *value, min, kMaxCount);
  }

  void flag(const char* key, bool& out) {
    const Json* value = get(key, TraceNeed::kOptional, "");
    if (value == nullptr) return;
    if (!value->is_boolean()) fail(key, "expected true or false, got " + describe(*value));
    out = value->get<bool>();
  }

  template <typename Enum>
  void choice(const char* key, Enum& out, const std::vector<std::pair<std::string, Enum>>& names,
              TraceNeed need) {
    std::string known;
    for (const auto& entry : names) known += (known.empty() ? "" : ", ") + entry.first;
    const Json* value = get(key, need, "one of: " + known);
    if (value == nullptr) return;
    for (const auto& [name, e] : names) {
      if (value->is_string() && value->get<std::string>() == name) {
        out = e;
        return;
      }
    }
    fail(key, describe(*value) + " is not one of: " + known);
  }

  std::optional<std::string> string(const char* key, TraceNeed need, bool non_empty) {
    const Json* value = get(key, need, "a string");
    if (value == nullptr) return std::nullopt;
    if (!value->is_string() || (non_empty && value->get<std::string>().empty())) {
      fail(key,
           std::string("expected a ") + (non_empty ? "non-empty " : "") + "string, got " + describe(*value));
    }
    return value->get<std::string>();
  }

  void finish() const {
    for (const auto& item : object_.items()) {
      if (seen_.count(item.key()) == 0) fail(item.key(), "unknown field");
    }
  }

 private:
  const Json& object_;
  const std::string& file_;
  std::string path_;
  std::set<std::string> seen_;
};

// Semantic checks the field types cannot express; returns {field, expectation} or an empty field.
std::pair<std::string, std::string> check_shape(const Operator& op) {
  auto padded_fits = [](uint32_t in, uint32_t pad_a, uint32_t pad_b, uint32_t kernel) {
    return uint64_t{in} + pad_a + pad_b >= kernel && uint64_t{in} + pad_a + pad_b <= kMaxDim;
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
  // Sizes, estimated in floating point so the check itself cannot overflow.
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

struct ParsedOperator {
  Operator op;
  std::vector<const Json*> input_refs;
};

ParsedOperator parse_operator(const Json& value, size_t index, const std::string& file,
                              const TraceImportOptions& options) {
  const std::string path = "operators[" + std::to_string(index) + "]";
  FieldReader reader(value, file, path);
  ParsedOperator parsed;
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
    if (const Json* batch = reader.get("batch", TraceNeed::kOptional, "")) {
      op.batch = static_cast<uint32_t>(reader.integer("batch", *batch, 1, kMaxBatch));
    }
    if (const Json* inputs = reader.get("inputs", TraceNeed::kOptional, "")) {
      if (!inputs->is_array()) {
        reader.fail("inputs", "expected a list of operator names or indices, got " + describe(*inputs));
      }
      for (const auto& item : *inputs) parsed.input_refs.push_back(&item);
    }
    op.params = trace_default_params(op.kind);
    trace_params(reader, op.params);
    reader.choice("activation", op.activation, trace_activations(), TraceNeed::kOptional);
    reader.finish();
    const auto [field, expectation] = check_shape(op);
    if (!field.empty()) reader.fail(field, expectation);
  } catch (const InputError& error) {
    throw InputError(error.file(), error.where(), error.message() + " (operator '" + op.name + "')");
  }
  return parsed;
}

// Resolves each operator's input references to indices; returns the inputs per operator.
std::vector<std::vector<uint32_t>> resolve_inputs(const std::vector<ParsedOperator>& parsed,
                                                  const std::string& file) {
  constexpr size_t kAmbiguous = std::numeric_limits<size_t>::max();
  std::unordered_map<std::string, size_t> by_name;
  for (size_t i = 0; i < parsed.size(); ++i) {
    const auto [it, inserted] = by_name.emplace(parsed[i].op.name, i);
    if (!inserted) it->second = kAmbiguous;
  }
  std::vector<std::vector<uint32_t>> inputs(parsed.size());
  for (size_t i = 0; i < parsed.size(); ++i) {
    const auto& refs = parsed[i].input_refs;
    for (size_t j = 0; j < refs.size(); ++j) {
      const Json& ref = *refs[j];
      const std::string where = "operators[" + std::to_string(i) + "].inputs[" + std::to_string(j) + "]";
      const std::string suffix = " (operator '" + parsed[i].op.name + "')";
      size_t producer = 0;
      if (ref.is_string()) {
        const auto it = by_name.find(ref.get<std::string>());
        if (it == by_name.end())
          throw InputError(file, where, "no operator is named " + describe(ref) + suffix);
        if (it->second == kAmbiguous) {
          throw InputError(
              file, where,
              "several operators are named " + describe(ref) + "; refer to one by index" + suffix);
        }
        producer = it->second;
      } else if (ref.is_number_unsigned() || (ref.is_number_integer() && ref.get<int64_t>() >= 0)) {
        producer = ref.get<uint64_t>();
        if (producer >= parsed.size()) {
          throw InputError(file, where,
                           "expected an operator index below " + std::to_string(parsed.size()) + ", got " +
                               describe(ref) + suffix);
        }
      } else {
        throw InputError(file, where, "expected an operator name or index, got " + describe(ref) + suffix);
      }
      inputs[i].push_back(static_cast<uint32_t>(producer));
    }
  }
  return inputs;
}

// A stable topological order (Kahn's algorithm, lowest index first): an order that already respects the
// dependencies comes back unchanged. A cycle is an error naming its operators.
std::vector<size_t> dependency_order(const std::vector<std::vector<uint32_t>>& inputs,
                                     const std::vector<ParsedOperator>& parsed, const std::string& file) {
  const size_t n = inputs.size();
  std::vector<size_t> pending(n, 0);
  std::vector<std::vector<size_t>> consumers(n);
  for (size_t i = 0; i < n; ++i) {
    for (uint32_t producer : inputs[i]) {
      ++pending[i];
      consumers[producer].push_back(i);
    }
  }
  std::priority_queue<size_t, std::vector<size_t>, std::greater<>> ready;
  for (size_t i = 0; i < n; ++i) {
    if (pending[i] == 0) ready.push(i);
  }
  std::vector<size_t> order;
  order.reserve(n);
  while (!ready.empty()) {
    const size_t i = ready.top();
    ready.pop();
    order.push_back(i);
    for (size_t consumer : consumers[i]) {
      if (--pending[consumer] == 0) ready.push(consumer);
    }
  }
  if (order.size() == n) return order;
  // Every operator left waits on another one left: walk producers until one repeats.
  size_t at = 0;
  while (pending[at] == 0) ++at;
  std::vector<size_t> walk;
  std::vector<size_t> position(n, n);
  while (position[at] == n) {
    position[at] = walk.size();
    walk.push_back(at);
    for (uint32_t producer : inputs[at]) {
      if (pending[producer] != 0) {
        at = producer;
        break;
      }
    }
  }
  // walk[k + 1] produces walk[k]: data flows from `at` through the walk backwards to `at` again.
  std::string cycle = "'" + parsed[at].op.name + "'";
  for (size_t k = walk.size(); k-- > position[at] + 1;) cycle += " -> '" + parsed[walk[k]].op.name + "'";
  cycle += " -> '" + parsed[at].op.name + "'";
  throw InputError(
      file, "operators[" + std::to_string(at) + "].inputs",
      "expected dependencies without cycles, found " + cycle + " (operator '" + parsed[at].op.name + "')");
}

std::vector<InferenceRequest> parse_requests(const Json& value, const std::string& file) {
  if (!value.is_array())
    throw InputError(file, "requests", "expected a list of requests, got " + describe(value));
  std::vector<InferenceRequest> requests;
  std::set<std::string> ids;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string path = "requests[" + std::to_string(i) + "]";
    FieldReader reader(value[i], file, path);
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

// nlohmann's DOM builder behind a SAX interface that keeps the position of the first error of any kind:
// a syntax error, or a number too large for a double, which the plain parse() throws as out_of_range
// without a position.
class PositionedDomParser {
 public:
  explicit PositionedDomParser(Json& root) : dom_(root, false) {}
  bool null() { return dom_.null(); }
  bool boolean(bool value) { return dom_.boolean(value); }
  bool number_integer(Json::number_integer_t value) { return dom_.number_integer(value); }
  bool number_unsigned(Json::number_unsigned_t value) { return dom_.number_unsigned(value); }
  bool number_float(Json::number_float_t value, const Json::string_t& text) {
    return dom_.number_float(value, text);
  }
  bool string(Json::string_t& value) { return dom_.string(value); }
  bool binary(Json::binary_t& value) { return dom_.binary(value); }
  bool start_object(std::size_t size) { return dom_.start_object(size); }
  bool key(Json::string_t& value) { return dom_.key(value); }
  bool end_object() { return dom_.end_object(); }
  bool start_array(std::size_t size) { return dom_.start_array(size); }
  bool end_array() { return dom_.end_array(); }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& error) {
    error_position = position;
    error_message = error.what();
    return false;
  }

  std::size_t error_position = 0;  // bytes read when the error was found, counting from 1
  std::string error_message;

 private:
  nlohmann::detail::json_sax_dom_parser<Json> dom_;
};

Json parse_json_text(const std::string& text, const std::string& file) {
  Json root;
  PositionedDomParser sax(root);
  if (Json::sax_parse(text, &sax) && sax.error_message.empty()) return root;
  // Line and column of the byte the parser stopped at.
  size_t line = 1, column = 1;
  const size_t end = std::min<size_t>(sax.error_position == 0 ? 0 : sax.error_position - 1, text.size());
  for (size_t i = 0; i < end; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  std::string detail = sax.error_message;
  const auto column_at = detail.find("column");
  const auto colon = detail.find(": ", column_at == std::string::npos ? 0 : column_at);
  if (colon != std::string::npos) detail = detail.substr(colon + 2);
  if (detail.rfind("[json.exception", 0) == 0 && detail.find("] ") != std::string::npos) {
    detail = detail.substr(detail.find("] ") + 2);
  }
  detail = detail.substr(0, 200);
  throw InputError(file, "line " + std::to_string(line) + ", column " + std::to_string(column),
                   "expected valid JSON (" + detail + ")");
}

}  // namespace

Workload parse_trace_json(const std::string& text, const std::string& file,
                          const TraceImportOptions& options) {
  const Json root = parse_json_text(text, file);
  if (!root.is_object()) {
    throw InputError(file, "<root>",
                     std::string("expected an npusim trace object {\"format\": \"") + kTraceFormatName +
                         "\", ...}, got " + describe(root));
  }
  FieldReader reader(root, file, "");
  const std::string expected_format = std::string("\"") + kTraceFormatName + "\"";
  const Json* format =
      reader.get("format", TraceNeed::kRequired, expected_format + " (is this an npusim op trace?)");
  if (!format->is_string() || format->get<std::string>() != kTraceFormatName) {
    reader.fail("format", "expected " + expected_format + ", got " + describe(*format));
  }
  const Json* version = reader.get("version", TraceNeed::kRequired, std::to_string(kTraceFormatVersion));
  if (!(version->is_number_integer() && version->get<int64_t>() == kTraceFormatVersion)) {
    reader.fail("version", "expected " + std::to_string(kTraceFormatVersion) +
                               " (the trace version this npusim "
                               "reads), got " +
                               describe(*version));
  }
  Workload workload;
  workload.name =
      reader.string("name", TraceNeed::kOptional, true).value_or(std::filesystem::path(file).stem().string());
  workload.source = file;
  for (const char* info : {"$schema", "origin", "generator", "description"}) {
    reader.string(info, TraceNeed::kOptional, false);  // informational
  }
  const Json* operators = reader.get("operators", TraceNeed::kRequired, "a non-empty list of operators");
  if (!operators->is_array() || operators->empty()) {
    reader.fail("operators", "expected a non-empty list of operators, got " + describe(*operators));
  }
  if (const Json* requests = reader.get("requests", TraceNeed::kOptional, "")) {
    workload.requests = parse_requests(*requests, file);
  }
  reader.finish();

  std::vector<ParsedOperator> parsed;
  parsed.reserve(operators->size());
  for (size_t i = 0; i < operators->size(); ++i)
    parsed.push_back(parse_operator((*operators)[i], i, file, options));
  const std::vector<std::vector<uint32_t>> inputs = resolve_inputs(parsed, file);
  const std::vector<size_t> order = dependency_order(inputs, parsed, file);
  std::vector<uint32_t> new_index(order.size());
  for (size_t k = 0; k < order.size(); ++k) new_index[order[k]] = static_cast<uint32_t>(k);
  workload.ops.reserve(order.size());
  for (size_t old : order) {
    Operator op = std::move(parsed[old].op);
    for (uint32_t producer : inputs[old]) op.inputs.push_back(new_index[producer]);
    workload.ops.push_back(std::move(op));
  }
  return workload;
}

Workload load_trace_json(const std::string& path, const TraceImportOptions& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open trace file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_trace_json(text.str(), path, options);
}

}  // namespace npusim
