// libFuzzer target: NPU configs as a user writes them. The first line holds --set assignments separated
// by ';', the rest is the config JSON (no "base": files are not read here). Any input either yields a
// config whose resolved form parses back to the same JSON, or raises InputError.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "arch/spec/input_error.h"
#include "arch/spec/json_text.h"
#include "arch/spec/npu_config_parse.h"
#include "sim/io/config_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const size_t newline = text.find('\n');
  const std::string sets = newline == std::string::npos ? "" : text.substr(0, newline);
  try {
    npusim::ConfigDocument document{npusim::parse_json_text(text.substr(newline == std::string::npos ? 0 : newline + 1),
                                                            "fuzz.json"),
                                    "fuzz.json",
                                    {}};
    if (!document.document.is_object() || document.document.contains("base")) return 0;
    std::stringstream parts(sets);
    for (std::string assignment; std::getline(parts, assignment, ';');)
      if (!assignment.empty()) npusim::apply_override(document, "npu", assignment);
    const npusim::NpuConfig config = npusim::parse_npu_config(document.document, document.file);
    const nlohmann::json resolved = npusim::npu_config_to_json(config);
    if (npusim::npu_config_to_json(npusim::parse_npu_config(resolved, "resolved")) != resolved) std::abort();
  } catch (const npusim::InputError&) {
  }
  return 0;
}
