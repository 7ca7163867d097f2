#include "sim/io/scalesim_cfg.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string_view>
#include <utility>
#include <vector>

#include "arch/spec/input_error.h"
#include "arch/spec/units.h"
#include "sim/io/text_file.h"

namespace npusim {
namespace {

constexpr double kClockMhz = 1000.0;         // SCALE-Sim counts cycles only; any clock works
constexpr double kCalcWordsPerCycle = 10.0;  // single_layer_sim.run(): CALC mode backing bandwidth
constexpr uint32_t kSramBanks = 16;

std::string trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  const auto begin = s.find_first_not_of(kSpace);
  if (begin == std::string_view::npos) return {};
  return std::string(s.substr(begin, s.find_last_not_of(kSpace) - begin + 1));
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// configparser's view of the file: sections of lower-cased keys (optionxform) to stripped values.
class IniFile {
 public:
  IniFile(const std::string& text, const std::string& file) : file_(file) {
    std::istringstream lines(text);
    std::string raw;
    size_t line_no = 0;
    std::string section;
    std::string* last_value = nullptr;
    while (std::getline(lines, raw)) {
      ++line_no;
      const std::string line = trim(raw);
      const std::string where = "line " + std::to_string(line_no);
      if (line.empty() || line[0] == '#' || line[0] == ';') continue;
      if (last_value && std::isspace(static_cast<unsigned char>(raw[0]))) {  // continuation line
        *last_value += "\n" + line;
        continue;
      }
      if (line.front() == '[' && line.back() == ']') {
        section = trim(std::string_view(line).substr(1, line.size() - 2));
        if (!sections_.emplace(section, Section{}).second) fail(where, "duplicate section [" + section + "]");
        last_value = nullptr;
        continue;
      }
      const auto separator = line.find_first_of("=:");
      if (separator == std::string::npos)
        fail(where, "expected '[section]' or 'key = value', got '" + line + "'");
      if (section.empty()) fail(where, "expected a [section] header before '" + line + "'");
      const std::string key = lower(trim(std::string_view(line).substr(0, separator)));
      auto [it, inserted] =
          sections_[section].emplace(key, trim(std::string_view(line).substr(separator + 1)));
      if (!inserted) fail(where, "duplicate key '" + key + "' in [" + section + "]");
      lines_[section + "." + key] = line_no;
      last_value = &it->second;
    }
  }

  [[noreturn]] void fail(const std::string& where, const std::string& message) const {
    throw InputError(file_, where, message);
  }

  const std::string* find(const std::string& section, const std::string& key) const {
    const auto s = sections_.find(section);
    if (s == sections_.end()) return nullptr;
    const auto k = s->second.find(lower(key));
    return k == s->second.end() ? nullptr : &k->second;
  }

  // config.get(section, key) raises when either is missing.
  const std::string& require(const std::string& section, const std::string& key) const {
    if (!sections_.count(section)) fail("[" + section + "]", "missing section (SCALE-Sim requires it)");
    const std::string* value = find(section, key);
    if (!value) fail(section + "." + key, "missing (SCALE-Sim requires it)");
    return *value;
  }

  // "line N: section.Key" for a key present in the file.
  std::string at(const std::string& section, const std::string& key) const {
    const auto line = lines_.find(section + "." + lower(key));
    const std::string path = section + "." + key;
    return line == lines_.end() ? path : "line " + std::to_string(line->second) + ": " + path;
  }

  // Every section and key must be one SCALE-Sim v2 or v3 reads (a typo would otherwise be ignored).
  template <typename Known>
  void require_known(const Known& known) const {
    for (const auto& section_keys : sections_) {
      // Named copies: C++17 lambdas cannot capture structured bindings.
      const std::string& section = section_keys.first;
      const auto entry =
          std::find_if(known.begin(), known.end(), [&](const auto& k) { return section == k.first; });
      for (const auto& key_value : section_keys.second) {
        const std::string& key = key_value.first;
        const std::string where =
            "line " + std::to_string(lines_.at(section + "." + key)) + ": " + section + "." + key;
        if (entry == known.end())
          fail(where, "unknown section [" + section + "] (SCALE-Sim v2/v3 have none such)");
        const auto& names = entry->second;
        if (std::none_of(names.begin(), names.end(), [&](const char* n) { return lower(n) == key; })) {
          fail(where, "unknown key in [" + section + "]");
        }
      }
    }
  }

  uint32_t positive(const std::string& section, const std::string& key, const std::string& text) const {
    std::string digits = trim(text);
    if (!digits.empty() && digits[0] == '+') digits.erase(0, 1);
    const bool ok = !digits.empty() && digits.size() <= 10 &&
                    std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                    std::stoull(digits) > 0 && std::stoull(digits) <= std::numeric_limits<uint32_t>::max();
    if (!ok) fail(at(section, key), "expected a positive integer, got '" + text + "'");
    return static_cast<uint32_t>(std::stoull(digits));
  }

  uint32_t required_positive(const std::string& section, const std::string& key) const {
    return positive(section, key, require(section, key));
  }

 private:
  using Section = std::map<std::string, std::string>;
  std::string file_;
  std::map<std::string, Section> sections_;
  std::map<std::string, size_t> lines_;  // "section.key" -> line number
};

// The sections and keys SCALE-Sim v2 and v3 read (scale_config.read_conf_file()); MemoryBanks and the
// offsets are read but change no report number of a dense run.
using KnownKeys = std::array<std::pair<const char*, std::vector<const char*>>, 6>;
const KnownKeys& known_keys() {
  static const KnownKeys known{{
      {"general", {"run_name"}},
      {"architecture_presets",
       {"ArrayHeight", "ArrayWidth", "IfmapSramSzkB", "FilterSramSzkB", "OfmapSramSzkB", "IfmapOffset",
        "FilterOffset", "OfmapOffset", "Dataflow", "Bandwidth", "MemoryBanks", "ReadRequestBuffer",
        "WriteRequestBuffer", "IfmapCustomLayout", "FilterCustomLayout"}},
      {"layout",
       {"IfmapCustomLayout", "FilterCustomLayout", "IfmapSRAMBankBandwidth", "IfmapSRAMBankNum",
        "IfmapSRAMBankPort", "FilterSRAMBankBandwidth", "FilterSRAMBankNum", "FilterSRAMBankPort"}},
      {"sparsity",
       {"SparsitySupport", "SparseRep", "OptimizedMapping", "BlockSize", "RandomNumberGeneratorSeed"}},
      {"run_presets", {"InterfaceBandwidth", "UseRamulatorTrace"}},
      {"network_presets", {"TopologyCsvLoc"}},
  }};
  return known;
}

// USER: Bandwidth is a comma-separated list (one per memory bank); SCALE-Sim feeds bws[0] to all three.
double words_per_cycle(const IniFile& ini, bool user_bandwidth) {
  if (!user_bandwidth) return kCalcWordsPerCycle;
  const std::string& list = ini.require("architecture_presets", "Bandwidth");
  return ini.positive("architecture_presets", "Bandwidth", list.substr(0, list.find(',')));
}

bool is_true(const std::string& value) {
  const std::string v = lower(value);
  return v == "true" || v == "1" || v == "yes" || v == "on";
}

// Features npusim does not model must be off: v3's sparsity, custom layouts and Ramulator traces.
void reject_unmodelled(const IniFile& ini) {
  const std::pair<const char*, const char*> switches[] = {{"sparsity", "SparsitySupport"},
                                                          {"layout", "IfmapCustomLayout"},
                                                          {"layout", "FilterCustomLayout"},
                                                          {"architecture_presets", "IfmapCustomLayout"},
                                                          {"architecture_presets", "FilterCustomLayout"},
                                                          {"run_presets", "UseRamulatorTrace"}};
  for (const auto& [section, key] : switches) {
    const std::string* value = ini.find(section, key);
    if (value && is_true(*value)) {
      ini.fail(ini.at(section, key),
               "expected False (npusim models dense layers in SCALE-Sim's default layout, "
               "without Ramulator)");
    }
  }
}

// Offsets and the v3 request buffers are integers to SCALE-Sim (int()); MemoryBanks a positive one.
void check_integers(const IniFile& ini) {
  const char* arch = "architecture_presets";
  for (const char* key : {"IfmapOffset", "FilterOffset", "OfmapOffset"}) {
    const std::string* value = ini.find(arch, key);
    if (!value) continue;
    const std::string v = trim(*value);
    if (v.empty() || v.size() > 12 ||
        !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
      ini.fail(ini.at(arch, key), "expected a non-negative integer, got '" + *value + "'");
  }
  for (const char* key : {"MemoryBanks", "ReadRequestBuffer", "WriteRequestBuffer"}) {
    if (const std::string* value = ini.find(arch, key)) ini.positive(arch, key, *value);
  }
}

}  // namespace

nlohmann::json parse_scalesim_cfg(const std::string& text, const std::string& file) {
  const IniFile ini(text, file);
  ini.require_known(known_keys());
  const std::string run_name = ini.require("general", "run_name");

  const std::string& mode = ini.require("run_presets", "InterfaceBandwidth");
  if (mode != "USER" && mode != "CALC") {
    ini.fail(ini.at("run_presets", "InterfaceBandwidth"), "expected USER or CALC, got '" + mode + "'");
  }

  const char* arch = "architecture_presets";
  const uint32_t rows = ini.required_positive(arch, "ArrayHeight");
  const uint32_t cols = ini.required_positive(arch, "ArrayWidth");
  const uint32_t ifmap_kb = ini.required_positive(arch, "IfmapSramSzkB");
  const uint32_t filter_kb = ini.required_positive(arch, "FilterSramSzkB");
  const uint32_t ofmap_kb = ini.required_positive(arch, "OfmapSramSzkB");
  const std::string dataflow = lower(ini.require(arch, "Dataflow"));
  if (dataflow != "os" && dataflow != "ws" && dataflow != "is") {
    ini.fail(ini.at(arch, "Dataflow"), "expected one of: os, ws, is, got '" + dataflow + "'");
  }
  const double bandwidth = words_per_cycle(ini, mode == "USER");
  reject_unmodelled(ini);
  check_integers(ini);

  // The array reads up to H ifmap + W filter words and writes W ofmap words per cycle; SCALE-Sim's SRAMs
  // never conflict, so the ports are sized to serve that (1 word = 1 byte).
  const uint64_t port_bytes = uint64_t{rows} + 2 * uint64_t{cols};
  return {
      {"name", run_name.empty() ? std::string("scalesim") : run_name},
      {"description", "SCALE-Sim config " + file + " (InterfaceBandwidth " + mode + ")"},
      {"clock_mhz", kClockMhz},
      {"array",
       {{"rows", rows},
        {"cols", cols},
        {"dataflow", dataflow},
        {"overlap_folds", false},
        {"dtypes", {"int8"}}}},
      {"sram",
       {{"capacity_bytes", (uint64_t{ifmap_kb} + filter_kb + ofmap_kb) * kKiB},
        {"banks", kSramBanks},
        {"bank_width_bytes", std::max<uint64_t>(64, ceil_div(port_bytes, kSramBanks))}}},
      // No descriptor overhead and a port at least as wide as the interface: DRAM bandwidth limits.
      {"dma",
       {{"setup_cycles", 0}, {"bytes_per_cycle", std::max<uint64_t>(64, static_cast<uint64_t>(bandwidth))}}},
      // read_port.latency = 1 cycle; bandwidth in bytes per cycle at the clock.
      {"dram",
       {{"bandwidth_gbytes_per_s", bandwidth * kClockMhz / 1000.0}, {"latency_ns", 1000.0 / kClockMhz}}},
      {"timing", {{"mode", "scalesim"}}},
      {"scalesim",
       {{"ifmap_sram_kb", ifmap_kb},
        {"filter_sram_kb", filter_kb},
        {"ofmap_sram_kb", ofmap_kb},
        {"bandwidth_words_per_cycle", bandwidth},
        {"calc_bandwidth", mode == "CALC"}}},
  };
}

nlohmann::json load_scalesim_cfg(const std::string& path) {
  const std::optional<std::string> text = read_text_file(path);
  if (!text) throw InputError(path, "", "cannot open SCALE-Sim config file");
  return parse_scalesim_cfg(*text, path);
}

}  // namespace npusim
