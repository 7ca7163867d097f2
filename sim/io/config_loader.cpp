#include "sim/io/config_loader.h"

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "arch/spec/input_error.h"
#include "arch/spec/json_reader.h"
#include "arch/spec/preset_files.h"
#include "sim/io/scalesim_cfg.h"

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

std::string resolve_base(const std::string& base, const std::string& including_file) {
  const fs::path beside = fs::path(including_file).parent_path() / base;
  if (fs::exists(beside)) return beside.string();
  const fs::path under_configs = fs::path(configs_dir()) / base;
  if (fs::exists(under_configs)) return under_configs.string();
  throw InputError(including_file, "base",
                   "'" + base + "' is neither beside this file nor under " + configs_dir() + "/");
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

// nlohmann refuses to write strings that are not UTF-8 (type_error 316), so text from the command line
// must be checked where it enters.
bool valid_utf8(const std::string& text) {
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k)
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return false;
    i += length;
  }
  return true;
}

}  // namespace

ConfigDocument load_config_document(const std::string& spec, const std::string& kind) {
  if (spec.empty()) throw InputError("<cli>", "--" + kind, "expected a preset name or a file");
  if (kind == "npu" && ends_with(spec, ".cfg")) return {load_scalesim_cfg(spec), spec, {}};
  if (looks_like_path(spec)) return {load_layered(spec, 0), spec, {}};
  const std::string path = preset_path(spec, kind);
  if (!fs::exists(path)) {
    std::string known;
    for (const auto& name : list_presets(kind)) known += (known.empty() ? "" : ", ") + name;
    throw InputError("<cli>", "--" + kind,
                     "'" + spec + "' is neither a file nor a preset; presets: " + known);
  }
  return {load_layered(path, 0), path, {}};
}

namespace {

// Fields beside a "preset" key that the preset file `name` of configs/<section>/ gives: dropped so the
// preset's values apply (those set by an override stay).
void apply_preset_reference(ConfigDocument& config, nlohmann::json& section_object, const std::string& section,
                            const std::string& name, const std::string& section_path) {
  const fs::path file = fs::path(configs_dir()) / section / (name + ".json");
  if (!fs::exists(file)) return;  // the parser rejects it, listing the known presets
  const nlohmann::json preset = load_json_file(file.string());
  const auto fields = preset.find(section);
  if (fields == preset.end() || !fields->is_object()) return;
  for (const auto& item : fields->items()) {
    if (config.overridden.count(section_path + "." + item.key()) == 0) section_object.erase(item.key());
  }
}

}  // namespace

void apply_override(ConfigDocument& config, const std::string& root, const std::string& assignment) {
  if (!valid_utf8(assignment)) throw InputError("<cli>", "--set", "expected UTF-8 text");
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
  if (keys.empty() || path.back() == '.' || std::find(keys.begin(), keys.end(), "") != keys.end())
    throw InputError("<cli>", "--set " + path, "expected dotted.path=value with no empty names between the dots");
  if (keys.size() == 1 && keys[0] == "base") {
    throw InputError("<cli>", "--set " + path,
                     "a base is layered when the config loads; name that preset with --" + root + " instead");
  }
  for (size_t i = 0; i + 1 < keys.size(); ++i) {
    if (!node->contains(keys[i])) (*node)[keys[i]] = nlohmann::json::object();
    node = &(*node)[keys[i]];
    if (!node->is_object()) throw InputError("<cli>", "--set " + path, "'" + keys[i] + "' is not an object");
  }
  if (keys.size() >= 2 && keys.back() == "preset" && value.is_string()) {
    apply_preset_reference(config, *node, keys[keys.size() - 2], value.get<std::string>(),
                           path.substr(0, path.size() - std::string(".preset").size()));
  }
  (*node)[keys.back()] = value;
  config.overridden.insert(path);
  if (config.file.find(" (with --set)") == std::string::npos) config.file += " (with --set)";
}

std::string default_calibration_file() {
  return (std::filesystem::path(configs_dir()).parent_path() / "analysis" / "calibration" / "mlperf_v3_0.csv")
      .string();
}

}  // namespace npusim
