#include "arch/spec/preset_files.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "arch/spec/input_error.h"
#include "arch/spec/input_file.h"
#include "arch/spec/json_text.h"

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
  return parse_json_text(read_input_file(path, "JSON"), path);
}

}  // namespace npusim
