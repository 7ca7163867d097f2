// SCALE-Sim .cfg (INI) reader: turns scale-sim-v2's architecture presets into an npusim NPU document.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

namespace npusim {

// Reads a SCALE-Sim config as scale-sim-v2's scalesim/scale_config.py does (configparser: [section],
// "key = value" or "key: value", keys case-insensitive, '#'/';' comment lines) and returns an NPU
// document in npusim's schema:
//   name          <- [general] run_name
//   array         <- ArrayHeight, ArrayWidth, Dataflow (os|ws|is); overlap_folds false; dtypes ["int8"]
//   sram          <- capacity_bytes = (IfmapSramSzkB + FilterSramSzkB + OfmapSramSzkB) * 1024 (1 word = 1
//   byte) dram          <- bandwidth_gbytes_per_s = words/cycle * clock_mhz / 1000; latency one cycle
//   timing.mode   "scalesim"
//   scalesim      <- the three SRAM sizes in kB and bandwidth_words_per_cycle
// [run_presets] InterfaceBandwidth USER takes [architecture_presets] Bandwidth (its first value, as
// SCALE-Sim uses bws[0] for all three buffers); CALC uses SCALE-Sim's CALC-mode 10 words/cycle.
// scalesim.calc_bandwidth <- InterfaceBandwidth CALC. Every section and key must be one SCALE-Sim v2
// or v3 reads; offsets, MemoryBanks and v3's request buffers are validated, not used (they change no
// report number); v3 sparsity, custom layouts and Ramulator traces must be off. Errors:
// InputError(path, "line N: section.Key", expectation), (path, "section.Key", "missing ...") or
// (path, "[section]", "missing section ...").
nlohmann::json load_scalesim_cfg(const std::string& path);

// The same from the file's text; `file` names it in errors.
nlohmann::json parse_scalesim_cfg(const std::string& text, const std::string& file);

}  // namespace npusim
