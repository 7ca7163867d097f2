#include "sim/sweep/serve_point.h"

#include <fmt/format.h>

#include <sstream>

#include "arch/spec/input_error.h"
#include "arch/spec/json_reader.h"

namespace npusim {
namespace {

constexpr const char* kPrefix = "serve ";

// Options a serve point may set; "switch" ones take true or false.
struct ServeKey {
  const char* name;
  bool is_switch;
};
constexpr ServeKey kServeKeys[] = {
    {"model", false},         {"traffic", false},       {"rate", false},
    {"arrival_cv", false},    {"requests", false},      {"input_tokens", false},
    {"output_tokens", false}, {"seed", false},          {"scheduler", false},
    {"max_num_seqs", false},  {"max_batched_tokens", false}, {"prefill_chunk", false},
    {"block_tokens", false},  {"preemption", false},    {"host_link_gbytes_per_s", false},
    {"slo", false},           {"gpu_memory_gib", false}, {"validation_steps", false},
    {"find_max_rate", true},  {"drop_oversized", true},
    // The multi-chip plan (sim/serve/serve_plan.h).
    {"system", false},        {"gpu_system", false},    {"tp", false},
    {"pp", false},            {"ep", false},            {"dp", false},
    {"all_reduce", false},    {"expert_load_pct", false}, {"chips", false},
};

const ServeKey* find_key(const std::string& name) {
  for (const ServeKey& key : kServeKeys)
    if (name == key.name) return &key;
  return nullptr;
}

std::string known_keys() {
  std::string text;
  for (const ServeKey& key : kServeKeys) text += (text.empty() ? "" : ", ") + std::string(key.name);
  return text;
}

std::string flag_of(const std::string& key) {
  std::string flag = "--" + key;
  for (char& c : flag)
    if (c == '_') c = '-';
  return flag;
}

std::string value_text(const nlohmann::json& value, const ServeKey& key, const std::string& file,
                       const std::string& field) {
  if (key.is_switch) {
    if (!value.is_boolean()) throw InputError(file, field, "expected true or false, got " + describe_json(value));
    return "";
  }
  if (!(value.is_string() || value.is_number()))
    throw InputError(file, field, "expected a string or a number, got " + describe_json(value));
  const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
  if (text.empty() || text.find_first_of(" \t\n\r") != std::string::npos)
    throw InputError(file, field, "expected a value without whitespace, got '" + text + "'");
  return text;
}

}  // namespace

bool is_serve_workload(const std::string& workload) { return workload.rfind(kPrefix, 0) == 0; }

std::string parse_serve_point(const nlohmann::json& json, const std::string& file, const std::string& field,
                              const std::function<std::string(const std::string&)>& resolve_file) {
  if (!json.is_object()) throw InputError(file, field, "expected an object of serve options, got " + describe_json(json));
  if (!json.contains("model")) throw InputError(file, field + ".model", "missing (required): a decoder LLM");
  std::string text = "serve";
  for (const auto& item : json.items()) {
    const std::string where = field + "." + item.key();
    const ServeKey* key = find_key(item.key());
    if (key == nullptr)
      throw InputError(file, where, "unknown field; expected one of: " + known_keys() + " (npu, set, dtype and gpu come from the point)");
    std::string value = value_text(item.value(), *key, file, where);
    if (key->is_switch) {
      if (item.value().get<bool>()) text += " " + flag_of(item.key());
      continue;
    }
    const bool system_file = (item.key() == "system" || item.key() == "gpu_system") && value.size() > 5 &&
                             value.compare(value.size() - 5, 5, ".json") == 0;
    if (item.key() == "traffic" || system_file) value = resolve_file(value);
    text += " " + flag_of(item.key()) + " " + value;
  }
  return text;
}

std::vector<std::string> serve_point_arguments(const std::string& workload) {
  std::vector<std::string> args;
  std::istringstream in(workload.substr(std::string(kPrefix).size()));
  std::string word;
  while (in >> word) args.push_back(word);
  return args;
}

std::string serve_point_model(const std::string& workload) {
  const std::vector<std::string> args = serve_point_arguments(workload);
  for (size_t i = 0; i + 1 < args.size(); ++i)
    if (args[i] == "--model") return args[i + 1];
  return "";
}

}  // namespace npusim
