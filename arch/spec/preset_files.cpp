#include "arch/spec/preset_files.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "arch/spec/input_error.h"

namespace npusim {
namespace fs = std::filesystem;

std::string configs_dir() {
  const char* from_env = std::getenv("NPUSIM_CONFIGS_DIR");
  return from_env != nullptr && *from_env != '\0' ? std::string(from_env)
                                                  : std::string(NPUSIM_DEFAULT_CONFIGS_DIR);
}

std::string preset_path(const std::string& name, const std::string& kind) {
  return (fs::path(configs_dir()) / kind / (name + ".json")).string();
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

}  // namespace npusim
