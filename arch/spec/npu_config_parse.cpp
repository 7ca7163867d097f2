#include "arch/spec/npu_config_parse.h"

#include <algorithm>
#include <filesystem>

#include "arch/spec/json_reader.h"
#include "arch/spec/preset_files.h"

namespace npusim {
namespace {

[[noreturn]] void fail_outside(const std::string& file, const std::string& field, uint32_t node,
                               const NpuConfig& config, uint32_t nodes) {
  throw InputError(file, field,
                   "node " + std::to_string(node) + " is outside the " +
                       noc_shape_text(config.noc, config.cores) + " (nodes 0.." + std::to_string(nodes - 1) +
                       ")");
}

// Fills in automatic sizes and default placements, then checks that everything fits the topology.
void resolve_noc(NpuConfig& config, const std::string& file) {
  NocConfig& noc = config.noc;
  const uint32_t cores = config.cores;
  if (auto* mesh = std::get_if<MeshNocConfig>(&noc.topology)) {
    *mesh = resolved_mesh(*mesh, cores);
    if (uint64_t{mesh->rows} * mesh->cols > 4096) {
      throw InputError(file, "npu.noc", "a mesh of more than 4096 nodes is not supported");
    }
  } else if (auto* ring = std::get_if<RingNocConfig>(&noc.topology)) {
    if (ring->nodes == 0) ring->nodes = cores;
  } else if (auto* crossbar = std::get_if<CrossbarNocConfig>(&noc.topology)) {
    if (crossbar->nodes == 0) crossbar->nodes = cores;
  }
  const uint32_t nodes = noc_node_count(noc, cores);
  if (nodes < cores) {
    throw InputError(file, "npu.cores",
                     std::to_string(cores) + " cores do not fit the " + noc_shape_text(noc, cores) +
                         " (cores sit at nodes 0.." + std::to_string(cores - 1) + ")");
  }
  noc.dram_nodes = noc_dram_nodes(noc, cores, config.dram.channels);
  if (noc.dram_nodes.size() > config.dram.channels) {
    throw InputError(file, "npu.noc.dram_nodes",
                     std::to_string(noc.dram_nodes.size()) + " controllers for " +
                         std::to_string(config.dram.channels) +
                         " DRAM channels; expected at most one per channel (npu.dram.channels)");
  }
  for (size_t i = 0; i < noc.dram_nodes.size(); ++i) {
    if (noc.dram_nodes[i] >= nodes) {
      fail_outside(file, "npu.noc.dram_nodes[" + std::to_string(i) + "]", noc.dram_nodes[i], config, nodes);
    }
  }
  if (noc.global_sram_node >= nodes)
    fail_outside(file, "npu.noc.global_sram_node", noc.global_sram_node, config, nodes);
  if (cores > 1 && config.timing_mode == TimingMode::kScaleSim) {
    throw InputError(file, "npu.cores", "SCALE-Sim timing mode models a single core; set cores to 1");
  }
  if (config.timing_mode == TimingMode::kScaleSim && config.array.count > 1) {
    throw InputError(file, "npu.array.count", "SCALE-Sim timing mode models a single array; set count to 1");
  }
}

}  // namespace

void check_array_rates(ObjectReader& reader, ArrayConfig& array) {
  for (const auto& [dtype, rate] : array.macs_per_pe_cycle) {
    if (std::find(array.dtypes.begin(), array.dtypes.end(), dtype) != array.dtypes.end()) continue;
    ObjectReader rates = reader.child("macs_per_pe_cycle");
    rates.fail(std::string(dtype_name(dtype)).c_str(),
               "the array does not support " + std::string(dtype_name(dtype)) +
                   " (npu.array.dtypes); a rate for it would do nothing");
  }
}

// configs/dram/<name>.json holds {"description", "sources", "dram": {...}}: the same shape works as a
// "base" of an NPU preset and as the defaults that "dram.preset" names.
void apply_dram_preset(ObjectReader& reader, DramConfig& dram) {
  namespace fs = std::filesystem;
  if (dram.preset.empty()) return;
  const std::string path = (fs::path(configs_dir()) / "dram" / (dram.preset + ".json")).string();
  if (!fs::exists(path)) {
    std::string known;
    for (const auto& name : list_presets("dram")) known += (known.empty() ? "" : ", ") + name;
    reader.fail("preset", "'" + dram.preset + "' is not one of: " + known);
  }
  const nlohmann::json document = load_json_file(path);
  ObjectReader root(document, path, "");
  std::string ignored;
  root.read("description", ignored);
  root.child("sources");
  ObjectReader fields = root.child("dram");
  if (fields.has("preset")) fields.fail("preset", "unknown field");  // presets do not chain
  read_fields(fields, dram);
  fields.finish();
  root.finish();
}

NpuConfig parse_npu_config(const nlohmann::json& document, const std::string& file) {
  NpuConfig config = read_config<NpuConfig>(document, file, "npu");
  resolve_noc(config, file);
  return config;
}

nlohmann::json npu_config_to_json(const NpuConfig& config) { return fields_to_json(config); }

std::string npu_config_range_violation(const NpuConfig& config) { return check_fields(config, "npu"); }

std::string npu_config_fields_markdown() {
  std::vector<FieldRow> rows;
  describe_fields(NpuConfig{}, "npu", rows);
  return fields_markdown(rows);
}

}  // namespace npusim
