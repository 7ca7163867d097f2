// Where presets live and how a JSON file is read: configs/<kind>/<name>.json, and a parse that names the
// file and line of malformed JSON. The spec needs both to resolve references such as "dram.preset".
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace npusim {

// The configs/ directory: $NPUSIM_CONFIGS_DIR if set, else the source tree's configs/.
std::string configs_dir();

// configs/<kind>/<name>.json (whether or not it exists).
std::string preset_path(const std::string& name, const std::string& kind);

// Preset names (file stems) under configs/<kind>/, sorted.
std::vector<std::string> list_presets(const std::string& kind);

// Reads and parses a JSON file; a missing file or malformed JSON is an InputError naming it.
nlohmann::json load_json_file(const std::string& path);

}  // namespace npusim
