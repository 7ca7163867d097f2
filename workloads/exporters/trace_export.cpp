// npusim op trace writer: Workload -> JSON text, one operator per line.
#include "workloads/exporters/trace_export.h"

#include <initializer_list>
#include <unordered_map>

#include "workloads/exporters/trace_schema.h"

namespace npusim {
namespace {

// The writer side of the field lists in trace_schema.h: every field, defaults included.
class FieldWriter {
 public:
  explicit FieldWriter(nlohmann::ordered_json& out) : out_(out) {}

  void dims(const char* key, std::initializer_list<uint32_t*> values, TraceNeed, uint32_t) {
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const uint32_t* value : values) list.push_back(*value);
    out_[key] = list;
  }
  template <typename T>
  void number(const char* key, T& value, TraceNeed, uint64_t) {
    out_[key] = value;
  }
  void flag(const char* key, bool& value) { out_[key] = value; }
  template <typename Enum>
  void choice(const char* key, Enum& value, const std::vector<std::pair<std::string, Enum>>& names,
              TraceNeed) {
    for (const auto& [name, e] : names) {
      if (e == value) out_[key] = name;
    }
  }
  bool present(const char*) const { return true; }

 private:
  nlohmann::ordered_json& out_;
};

template <typename Enum>
std::string name_in(const std::vector<std::pair<std::string, Enum>>& names, Enum value) {
  for (const auto& [name, e] : names) {
    if (e == value) return name;
  }
  return "?";
}

nlohmann::ordered_json operator_to_trace(const Workload& workload, size_t index,
                                         const std::unordered_map<std::string, int>& name_counts) {
  const Operator& op = workload.ops[index];
  nlohmann::ordered_json out;
  out["name"] = op.name;
  out["op"] = name_in(trace_op_kinds(), op.kind);
  out["dtype"] = std::string(dtype_name(op.dtype));
  out["batch"] = op.batch;
  nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
  for (uint32_t producer : op.inputs) {
    const std::string* name = producer < workload.ops.size() ? &workload.ops[producer].name : nullptr;
    if (name != nullptr && !name->empty() && name_counts.at(*name) == 1) {
      inputs.push_back(*name);
    } else {
      inputs.push_back(producer);
    }
  }
  out["inputs"] = inputs;
  FieldWriter writer(out);
  OpParams params = op.params;
  trace_params(writer, params);
  out["activation"] = name_in(trace_activations(), op.activation);
  return out;
}

std::unordered_map<std::string, int> count_names(const Workload& workload) {
  std::unordered_map<std::string, int> counts;
  for (const auto& op : workload.ops) ++counts[op.name];
  return counts;
}

}  // namespace

nlohmann::ordered_json operator_to_trace(const Workload& workload, size_t index) {
  return operator_to_trace(workload, index, count_names(workload));
}

std::string workload_to_trace_text(const Workload& workload, const std::string& origin) {
  std::string text = "{\n";
  text += "  \"format\": " + nlohmann::json(kTraceFormatName).dump() + ",\n";
  text += "  \"version\": " + std::to_string(kTraceFormatVersion) + ",\n";
  text += "  \"name\": " + nlohmann::json(workload.name).dump() + ",\n";
  text += "  \"origin\": " + nlohmann::json(origin.empty() ? workload.source : origin).dump() + ",\n";
  if (!workload.warnings.empty()) {  // e.g. ONNX operators skipped on import: keep the note with the trace
    std::string note;
    for (const auto& warning : workload.warnings) note += (note.empty() ? "" : "; ") + warning;
    text += "  \"description\": " + nlohmann::json("import warnings: " + note).dump() + ",\n";
  }
  text += "  \"operators\": [";
  const auto name_counts = count_names(workload);
  for (size_t i = 0; i < workload.ops.size(); ++i) {
    text += (i == 0 ? "\n    " : ",\n    ") + operator_to_trace(workload, i, name_counts).dump();
  }
  text += "\n  ]";
  if (!workload.requests.empty()) {
    text += ",\n  \"requests\": [";
    for (size_t i = 0; i < workload.requests.size(); ++i) {
      const InferenceRequest& r = workload.requests[i];
      nlohmann::ordered_json request;
      request["id"] = r.id;
      request["arrival_ns"] = r.arrival_ns;
      request["batch"] = r.batch;
      request["input_tokens"] = r.input_tokens;
      request["output_tokens"] = r.output_tokens;
      text += (i == 0 ? "\n    " : ",\n    ") + request.dump();
    }
    text += "\n  ]";
  }
  return text + "\n}\n";
}

}  // namespace npusim
