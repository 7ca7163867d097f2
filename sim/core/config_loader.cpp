#include "sim/core/config_loader.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/input_error.h"
#include "sim/core/json_reader.h"
#include "sim/core/scalesim_cfg.h"

namespace npusim {
namespace fs = std::filesystem;

namespace {

constexpr int kMaxBaseDepth = 16;

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool looks_like_path(const std::string& spec) {
  return spec.find('/') != std::string::npos || ends_with(spec, ".json") || ends_with(spec, ".cfg");
}

std::string preset_path(const std::string& name, const std::string& kind) {
  return (fs::path(configs_dir()) / kind / (name + ".json")).string();
}

std::string resolve_base(const std::string& base, const std::string& including_file) {
  const fs::path beside = fs::path(including_file).parent_path() / base;
  if (fs::exists(beside)) return beside.string();
  const fs::path under_configs = fs::path(configs_dir()) / base;
  if (fs::exists(under_configs)) return under_configs.string();
  return base;
}

nlohmann::json load_layered(const std::string& path, int depth) {
  nlohmann::json document = load_json_file(path);
  if (!document.is_object()) throw InputError(path, "<root>", "expected a JSON object");
  const auto base = document.find("base");
  if (base == document.end()) return document;
  if (!base->is_string()) throw InputError(path, "base", "expected a preset path string");
  if (depth >= kMaxBaseDepth) throw InputError(path, "base", "too many nested bases (a cycle?)");
  nlohmann::json merged = load_layered(resolve_base(base->get<std::string>(), path), depth + 1);
  document.erase("base");
  merged.merge_patch(document);
  return merged;
}

}  // namespace

std::string configs_dir() {
  const char* from_env = std::getenv("NPUSIM_CONFIGS_DIR");
  return from_env != nullptr && *from_env != '\0' ? std::string(from_env)
                                                  : std::string(NPUSIM_DEFAULT_CONFIGS_DIR);
}

nlohmann::json load_json_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw InputError(path, "", "cannot open file");
  std::stringstream text;
  text << in.rdbuf();
  try {
    return nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::parse_error& error) {
    // nlohmann reports the byte offset; turn it into a line number for humans.
    const std::string content = text.str();
    const size_t offset = std::min<size_t>(error.byte, content.size());
    const auto line = 1 + std::count(content.begin(), content.begin() + static_cast<long>(offset), '\n');
    throw InputError(path, "line " + std::to_string(line), "malformed JSON: " + std::string(error.what()));
  }
}

ConfigDocument load_config_document(const std::string& spec, const std::string& kind) {
  if (spec.empty()) throw InputError("<cli>", "--" + kind, "expected a preset name or a file");
  if (kind == "npu" && ends_with(spec, ".cfg")) return {load_scalesim_cfg(spec), spec};
  if (looks_like_path(spec)) return {load_layered(spec, 0), spec};
  const std::string path = preset_path(spec, kind);
  if (!fs::exists(path)) {
    std::string known;
    for (const auto& name : list_presets(kind)) known += (known.empty() ? "" : ", ") + name;
    throw InputError("<cli>", "--" + kind,
                     "'" + spec + "' is neither a file nor a preset; presets: " + known);
  }
  return {load_layered(path, 0), path};
}

void apply_override(ConfigDocument& config, const std::string& root, const std::string& assignment) {
  const size_t equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0) {
    throw InputError("<cli>", "--set", "expected dotted.path=value, got '" + assignment + "'");
  }
  const std::string path = assignment.substr(0, equals);
  const std::string value_text = assignment.substr(equals + 1);
  if (path.rfind(root + ".", 0) != 0) {
    throw InputError("<cli>", "--set " + path, "expected a path starting with '" + root + ".'");
  }
  nlohmann::json value = nlohmann::json::parse(value_text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) value = value_text;  // bare words such as os, lpddr5
  nlohmann::json* node = &config.document;
  std::stringstream parts(path.substr(root.size() + 1));
  std::string key;
  std::vector<std::string> keys;
  while (std::getline(parts, key, '.')) keys.push_back(key);
  for (size_t i = 0; i + 1 < keys.size(); ++i) {
    if (!node->contains(keys[i])) (*node)[keys[i]] = nlohmann::json::object();
    node = &(*node)[keys[i]];
    if (!node->is_object()) throw InputError("<cli>", "--set " + path, "'" + keys[i] + "' is not an object");
  }
  (*node)[keys.back()] = value;
  if (config.file.find(" (with --set)") == std::string::npos) config.file += " (with --set)";
}

std::vector<std::string> list_presets(const std::string& kind) {
  std::vector<std::string> names;
  const fs::path dir = fs::path(configs_dir()) / kind;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir, error)) {
    if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace npusim
