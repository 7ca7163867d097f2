// Finds config documents (preset names or files), layers "base" presets with RFC 7386 merge patches,
// and applies `--set dotted.path=value` overrides before validation.
#pragma once

#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "arch/spec/preset_files.h"  // configs_dir, load_json_file, list_presets

namespace npusim {

struct ConfigDocument {
  nlohmann::json document;
  std::string file;  // the file errors should name
  std::set<std::string> overridden;  // dotted paths set by apply_override, in any order
};

// `spec` is a file path (.json, or a SCALE-Sim .cfg for kind "npu") or a preset name in
// configs/<kind>/. "base" names another preset or a path relative to the including file or configs/.
ConfigDocument load_config_document(const std::string& spec, const std::string& kind);

// Applies "npu.sram.banks=8" (root = "npu"): the value is JSON if it parses, else a string.
// A preset reference means what it says: "npu.dram.preset=hbm3" takes every value configs/dram/hbm3.json
// gives, dropping the fields beside it that the config had (they would override the new preset and
// the assignment would change nothing) unless they were themselves set by an override. "npu.base" is
// rejected: a base is layered when the file loads (name the preset with --npu instead).
void apply_override(ConfigDocument& config, const std::string& root, const std::string& assignment);

// analysis/calibration/mlperf_v3_0.csv beside the configs/ directory (validate-gpu's default data).
std::string default_calibration_file();

}  // namespace npusim
