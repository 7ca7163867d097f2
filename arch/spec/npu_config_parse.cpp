#include "arch/spec/npu_config_parse.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "arch/spec/preset_files.h"
#include "arch/spec/json_reader.h"

namespace npusim {
namespace {

void parse_array(ObjectReader reader, ArrayConfig& array) {
  reader.read_positive("rows", array.rows);
  reader.read_positive("cols", array.cols);
  const int dataflow = reader.read_choice("dataflow", {"os", "ws", "is"});
  if (dataflow >= 0) array.dataflow = static_cast<Dataflow>(dataflow);
  reader.read("overlap_folds", array.overlap_folds);
  if (reader.has("dtypes")) {
    array.dtypes.clear();
    for (const auto& name : reader.read_string_list("dtypes")) {
      const auto dtype = parse_dtype(name);
      if (!dtype) reader.fail("dtypes", "'" + name + "' is not one of: " + known_dtype_names());
      array.dtypes.push_back(*dtype);
    }
    if (array.dtypes.empty()) reader.fail("dtypes", "expected at least one data type");
  }
  reader.finish();
}

void parse_sram(ObjectReader reader, SramConfig& sram) {
  reader.read_positive("capacity_bytes", sram.capacity_bytes);
  reader.read_positive("banks", sram.banks);
  reader.read_positive("bank_width_bytes", sram.bank_width_bytes);
  reader.read("latency_cycles", sram.latency_cycles);
  reader.finish();
}

void parse_dma(ObjectReader reader, DmaConfig& dma) {
  reader.read_positive("max_outstanding", dma.max_outstanding);
  reader.read("setup_cycles", dma.setup_cycles);
  reader.read_positive("bytes_per_cycle", dma.bytes_per_cycle);
  reader.finish();
}

void parse_dram_fields(ObjectReader& reader, DramConfig& dram) {
  reader.read("kind", dram.kind);
  reader.read_positive("bandwidth_gbytes_per_s", dram.bandwidth_gbytes_per_s);
  reader.read_positive("channels", dram.channels);
  reader.read_non_negative("latency_ns", dram.latency_ns);
  reader.read_positive("interleave_bytes", dram.interleave_bytes);
  reader.read_positive("capacity_bytes", dram.capacity_bytes);
}

// configs/dram/<name>.json holds {"description", "sources", "dram": {...}}: the same shape works as a
// "base" of an NPU preset and as the defaults that "dram.preset" names.
void apply_dram_preset(const ObjectReader& reader, DramConfig& dram) {
  namespace fs = std::filesystem;
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
  parse_dram_fields(fields, dram);
  fields.finish();
  root.finish();
}

void parse_dram(ObjectReader reader, DramConfig& dram) {
  reader.read("preset", dram.preset);
  if (!dram.preset.empty()) apply_dram_preset(reader, dram);
  parse_dram_fields(reader, dram);  // explicit fields override the preset's
  reader.finish();
}

void parse_vector(ObjectReader reader, VectorConfig& vector) {
  reader.read_positive("lanes", vector.lanes);
  reader.read("latency_cycles", vector.latency_cycles);
  reader.read("depthwise_on_vector", vector.depthwise_on_vector);
  reader.finish();
}

void parse_global_sram(ObjectReader reader, GlobalSramConfig& sram) {
  reader.read("capacity_bytes", sram.capacity_bytes);
  reader.read_positive("bytes_per_cycle", sram.bytes_per_cycle);
  reader.read("latency_cycles", sram.latency_cycles);
  reader.finish();
}

// ---- NoC ----

constexpr const char* kNocKindFields[][3] = {{"mesh", "rows", "cols"},
                                             {"ring", "nodes", nullptr},
                                             {"crossbar", "nodes", nullptr},
                                             {"ideal", nullptr, nullptr}};

// The kind's own fields; a field that only another kind has gets a message saying so.
void parse_noc_topology(ObjectReader& reader, int kind, NocConfig& noc) {
  switch (kind) {
    case 0: {
      MeshNocConfig mesh;
      reader.read("rows", mesh.rows);
      reader.read("cols", mesh.cols);
      noc.topology = mesh;
      break;
    }
    case 1: {
      RingNocConfig ring;
      reader.read("nodes", ring.nodes);
      noc.topology = ring;
      break;
    }
    case 2: {
      CrossbarNocConfig crossbar;
      reader.read("nodes", crossbar.nodes);
      noc.topology = crossbar;
      break;
    }
    default:
      noc.topology = IdealNocConfig{};
      break;
  }
  for (const auto& fields : kNocKindFields) {
    for (int i = 1; i < 3; ++i) {
      const char* field = fields[i];
      if (field == nullptr || !reader.has(field)) continue;
      const auto& own = kNocKindFields[kind];
      if ((own[1] != nullptr && std::string(own[1]) == field) ||
          (own[2] != nullptr && std::string(own[2]) == field)) {
        continue;
      }
      reader.fail(field, std::string("not a field of a NoC of kind '") + own[0] + "' (it belongs to kind '" +
                             fields[0] + "')");
    }
  }
}

// The node list as given: non-negative integers, each named by index on error.
std::vector<uint32_t> read_node_list(const nlohmann::json& value, const std::string& file,
                                     const std::string& path) {
  if (!value.is_array()) {
    throw InputError(file, path, "expected a list of node ids, got " + describe_json(value));
  }
  std::vector<uint32_t> nodes;
  for (size_t i = 0; i < value.size(); ++i) {
    const nlohmann::json& item = value[i];
    const bool valid = item.is_number_unsigned() ? item.get<uint64_t>() <= UINT32_MAX
                                                 : item.is_number_integer() && item.get<int64_t>() >= 0 &&
                                                       item.get<int64_t>() <= int64_t{UINT32_MAX};
    if (!valid) {
      throw InputError(file, path + "[" + std::to_string(i) + "]",
                       "expected a non-negative node id, got " + describe_json(item));
    }
    nodes.push_back(static_cast<uint32_t>(item.get<int64_t>()));
  }
  return nodes;
}

// Reads "npu.noc" from a copy of its JSON (the node list is read here, by index, not by ObjectReader).
void parse_noc(nlohmann::json noc_json, const std::string& file, NocConfig& noc) {
  if (noc_json.is_null()) noc_json = nlohmann::json::object();
  bool has_dram_nodes = false;
  std::vector<uint32_t> dram_nodes;
  if (noc_json.is_object()) {
    const auto it = noc_json.find("dram_nodes");
    if (it != noc_json.end()) {
      dram_nodes = read_node_list(*it, file, "npu.noc.dram_nodes");
      has_dram_nodes = true;
      noc_json.erase(it);
    }
  }
  ObjectReader reader(noc_json, file, "npu.noc");
  const int kind = reader.read_choice("kind", {"mesh", "ring", "crossbar", "ideal"});
  parse_noc_topology(reader, kind < 0 ? 0 : kind, noc);
  reader.read_positive("link_bytes_per_cycle", noc.link_bytes_per_cycle);
  reader.read("hop_latency_cycles", noc.hop_latency_cycles);
  reader.read_positive("flit_bytes", noc.flit_bytes);
  reader.read("global_sram_node", noc.global_sram_node);
  reader.finish();
  if (has_dram_nodes) {
    if (dram_nodes.empty()) throw InputError(file, "npu.noc.dram_nodes", "expected at least one node");
    noc.dram_nodes = dram_nodes;
  }
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
      throw InputError(file, "npu.noc.dram_nodes[" + std::to_string(i) + "]",
                       "node " + std::to_string(noc.dram_nodes[i]) + " is outside the " +
                           noc_shape_text(noc, cores) + " (nodes 0.." + std::to_string(nodes - 1) + ")");
    }
  }
  if (noc.global_sram_node >= nodes) {
    throw InputError(file, "npu.noc.global_sram_node",
                     "node " + std::to_string(noc.global_sram_node) + " is outside the " +
                         noc_shape_text(noc, cores) + " (nodes 0.." + std::to_string(nodes - 1) + ")");
  }
  if (cores > 1 && config.timing_mode == TimingMode::kScaleSim) {
    throw InputError(file, "npu.cores", "SCALE-Sim timing mode models a single core; set cores to 1");
  }
}

nlohmann::json noc_to_json(const NocConfig& noc) {
  nlohmann::json out = {{"kind", noc_kind_name(noc.topology)}};
  if (const auto* mesh = std::get_if<MeshNocConfig>(&noc.topology)) {
    out["rows"] = mesh->rows;
    out["cols"] = mesh->cols;
  } else if (const auto* ring = std::get_if<RingNocConfig>(&noc.topology)) {
    out["nodes"] = ring->nodes;
  } else if (const auto* crossbar = std::get_if<CrossbarNocConfig>(&noc.topology)) {
    out["nodes"] = crossbar->nodes;
  }
  out["link_bytes_per_cycle"] = noc.link_bytes_per_cycle;
  out["hop_latency_cycles"] = noc.hop_latency_cycles;
  out["flit_bytes"] = noc.flit_bytes;
  out["dram_nodes"] = noc.dram_nodes;
  out["global_sram_node"] = noc.global_sram_node;
  return out;
}

void parse_mapper(ObjectReader reader, MapperConfig& mapper) {
  const int objective = reader.read_choice("objective", {"latency", "traffic"});
  if (objective >= 0) mapper.objective = static_cast<MapperObjective>(objective);
  reader.finish();
}

void parse_timing(ObjectReader reader, TimingMode& mode) {
  const int choice = reader.read_choice("mode", {"default", "scalesim"});
  if (choice >= 0) mode = static_cast<TimingMode>(choice);
  reader.finish();
}

void parse_scalesim(ObjectReader reader, ScaleSimConfig& scalesim) {
  reader.read_positive("ifmap_sram_kb", scalesim.ifmap_sram_kb);
  reader.read_positive("filter_sram_kb", scalesim.filter_sram_kb);
  reader.read_positive("ofmap_sram_kb", scalesim.ofmap_sram_kb);
  reader.read_positive("bandwidth_words_per_cycle", scalesim.bandwidth_words_per_cycle);
  reader.finish();
}

nlohmann::json dtype_list(const std::vector<DType>& dtypes) {
  nlohmann::json list = nlohmann::json::array();
  for (DType dtype : dtypes) list.push_back(std::string(dtype_name(dtype)));
  return list;
}

}  // namespace

const char* dataflow_name(Dataflow dataflow) {
  switch (dataflow) {
    case Dataflow::kOutputStationary:
      return "os";
    case Dataflow::kWeightStationary:
      return "ws";
    case Dataflow::kInputStationary:
      return "is";
  }
  return "?";
}

const char* mapper_objective_name(MapperObjective objective) {
  return objective == MapperObjective::kTraffic ? "traffic" : "latency";
}

const char* timing_mode_name(TimingMode mode) {
  return mode == TimingMode::kScaleSim ? "scalesim" : "default";
}

const char* noc_kind_name(const NocTopologyConfig& topology) {
  static constexpr const char* kNames[] = {"mesh", "ring", "crossbar", "ideal"};
  return kNames[topology.index()];
}

MeshNocConfig resolved_mesh(MeshNocConfig mesh, uint32_t cores) {
  cores = std::max<uint32_t>(cores, 1);
  if (mesh.rows == 0 && mesh.cols == 0) {
    mesh.rows =
        std::max<uint32_t>(1, static_cast<uint32_t>(std::floor(std::sqrt(static_cast<double>(cores)))));
    mesh.cols = static_cast<uint32_t>(ceil_div(cores, mesh.rows));
  } else if (mesh.rows == 0) {
    mesh.rows = static_cast<uint32_t>(ceil_div(cores, mesh.cols));
  } else if (mesh.cols == 0) {
    mesh.cols = static_cast<uint32_t>(ceil_div(cores, mesh.rows));
  }
  return mesh;
}

std::vector<uint32_t> noc_dram_nodes(const NocConfig& noc, uint32_t cores, uint32_t dram_channels) {
  if (!noc.dram_nodes.empty()) return noc.dram_nodes;
  const uint64_t nodes = noc_node_count(noc, cores);
  std::vector<uint32_t> out;
  for (uint32_t c = 0; c < dram_channels; ++c) {
    out.push_back(static_cast<uint32_t>(c * nodes / dram_channels));
  }
  return out;
}

uint32_t noc_node_count(const NocConfig& noc, uint32_t cores) {
  if (const auto* mesh = std::get_if<MeshNocConfig>(&noc.topology)) {
    const MeshNocConfig resolved = resolved_mesh(*mesh, cores);
    return resolved.rows * resolved.cols;
  }
  if (const auto* ring = std::get_if<RingNocConfig>(&noc.topology)) {
    return ring->nodes == 0 ? cores : ring->nodes;
  }
  if (const auto* crossbar = std::get_if<CrossbarNocConfig>(&noc.topology)) {
    return crossbar->nodes == 0 ? cores : crossbar->nodes;
  }
  return cores;
}

std::string noc_shape_text(const NocConfig& noc, uint32_t cores) {
  if (const auto* mesh = std::get_if<MeshNocConfig>(&noc.topology)) {
    const MeshNocConfig resolved = resolved_mesh(*mesh, cores);
    return std::to_string(resolved.rows) + "x" + std::to_string(resolved.cols) + " mesh";
  }
  const std::string nodes = std::to_string(noc_node_count(noc, cores));
  if (std::holds_alternative<RingNocConfig>(noc.topology)) return nodes + "-node ring";
  if (std::holds_alternative<CrossbarNocConfig>(noc.topology)) return nodes + "-node crossbar";
  return "ideal NoC of " + nodes + " nodes";
}

NpuConfig parse_npu_config(const nlohmann::json& document, const std::string& file) {
  NpuConfig config;
  ObjectReader reader(document, file, "npu");
  reader.read("name", config.name);
  reader.read("description", config.description);
  reader.child("sources");  // any object: provenance notes, kept verbatim
  if (document.is_object() && document.contains("sources")) config.sources = document.at("sources");
  reader.read_positive("clock_mhz", config.clock_mhz);
  reader.read_positive("cores", config.cores);
  parse_array(reader.child("array"), config.array);
  parse_sram(reader.child("sram"), config.sram);
  parse_dma(reader.child("dma"), config.dma);
  parse_dram(reader.child("dram"), config.dram);
  parse_vector(reader.child("vector"), config.vector);
  parse_mapper(reader.child("mapper"), config.mapper);
  parse_energy_config(reader.child("energy"), config.energy);
  parse_timing(reader.child("timing"), config.timing_mode);
  parse_scalesim(reader.child("scalesim"), config.scalesim);
  parse_global_sram(reader.child("global_sram"), config.global_sram);
  reader.child("noc");  // validates that it is an object; read from a copy below
  parse_noc(document.is_object() && document.contains("noc") ? document.at("noc") : nlohmann::json::object(),
            file, config.noc);
  reader.finish();
  resolve_noc(config, file);
  return config;
}

nlohmann::json npu_config_to_json(const NpuConfig& c) {
  return {
      {"name", c.name},
      {"description", c.description},
      {"sources", c.sources},
      {"clock_mhz", c.clock_mhz},
      {"cores", c.cores},
      {"array",
       {{"rows", c.array.rows},
        {"cols", c.array.cols},
        {"dataflow", dataflow_name(c.array.dataflow)},
        {"overlap_folds", c.array.overlap_folds},
        {"dtypes", dtype_list(c.array.dtypes)}}},
      {"sram",
       {{"capacity_bytes", c.sram.capacity_bytes},
        {"banks", c.sram.banks},
        {"bank_width_bytes", c.sram.bank_width_bytes},
        {"latency_cycles", c.sram.latency_cycles}}},
      {"dma",
       {{"max_outstanding", c.dma.max_outstanding},
        {"setup_cycles", c.dma.setup_cycles},
        {"bytes_per_cycle", c.dma.bytes_per_cycle}}},
      {"dram",
       {{"preset", c.dram.preset},
        {"kind", c.dram.kind},
        {"bandwidth_gbytes_per_s", c.dram.bandwidth_gbytes_per_s},
        {"channels", c.dram.channels},
        {"latency_ns", c.dram.latency_ns},
        {"interleave_bytes", c.dram.interleave_bytes},
        {"capacity_bytes", c.dram.capacity_bytes}}},
      {"vector",
       {{"lanes", c.vector.lanes},
        {"latency_cycles", c.vector.latency_cycles},
        {"depthwise_on_vector", c.vector.depthwise_on_vector}}},
      {"mapper", {{"objective", mapper_objective_name(c.mapper.objective)}}},
      {"energy", energy_config_to_json(c.energy)},
      {"timing", {{"mode", timing_mode_name(c.timing_mode)}}},
      {"scalesim",
       {{"ifmap_sram_kb", c.scalesim.ifmap_sram_kb},
        {"filter_sram_kb", c.scalesim.filter_sram_kb},
        {"ofmap_sram_kb", c.scalesim.ofmap_sram_kb},
        {"bandwidth_words_per_cycle", c.scalesim.bandwidth_words_per_cycle}}},
      {"global_sram",
       {{"capacity_bytes", c.global_sram.capacity_bytes},
        {"bytes_per_cycle", c.global_sram.bytes_per_cycle},
        {"latency_cycles", c.global_sram.latency_cycles}}},
      {"noc", noc_to_json(c.noc)},
  };
}

}  // namespace npusim
