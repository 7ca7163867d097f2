#include "sim/core/npu_config_parse.h"

#include "sim/core/json_reader.h"

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

void parse_dram(ObjectReader reader, DramConfig& dram) {
  reader.read("kind", dram.kind);
  reader.read_positive("bandwidth_gbytes_per_s", dram.bandwidth_gbytes_per_s);
  reader.read_positive("channels", dram.channels);
  reader.read_non_negative("latency_ns", dram.latency_ns);
  reader.read_positive("interleave_bytes", dram.interleave_bytes);
  reader.finish();
}

void parse_vector(ObjectReader reader, VectorConfig& vector) {
  reader.read_positive("lanes", vector.lanes);
  reader.read("latency_cycles", vector.latency_cycles);
  reader.read("depthwise_on_vector", vector.depthwise_on_vector);
  reader.finish();
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

NpuConfig parse_npu_config(const nlohmann::json& document, const std::string& file) {
  NpuConfig config;
  ObjectReader reader(document, file, "npu");
  reader.read("name", config.name);
  reader.read("description", config.description);
  reader.read_positive("clock_mhz", config.clock_mhz);
  parse_array(reader.child("array"), config.array);
  parse_sram(reader.child("sram"), config.sram);
  parse_dma(reader.child("dma"), config.dma);
  parse_dram(reader.child("dram"), config.dram);
  parse_vector(reader.child("vector"), config.vector);
  parse_mapper(reader.child("mapper"), config.mapper);
  parse_timing(reader.child("timing"), config.timing_mode);
  parse_scalesim(reader.child("scalesim"), config.scalesim);
  reader.finish();
  return config;
}

nlohmann::json npu_config_to_json(const NpuConfig& c) {
  return {
      {"name", c.name},
      {"description", c.description},
      {"clock_mhz", c.clock_mhz},
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
       {{"kind", c.dram.kind},
        {"bandwidth_gbytes_per_s", c.dram.bandwidth_gbytes_per_s},
        {"channels", c.dram.channels},
        {"latency_ns", c.dram.latency_ns},
        {"interleave_bytes", c.dram.interleave_bytes}}},
      {"vector",
       {{"lanes", c.vector.lanes},
        {"latency_cycles", c.vector.latency_cycles},
        {"depthwise_on_vector", c.vector.depthwise_on_vector}}},
      {"mapper", {{"objective", mapper_objective_name(c.mapper.objective)}}},
      {"timing", {{"mode", timing_mode_name(c.timing_mode)}}},
      {"scalesim",
       {{"ifmap_sram_kb", c.scalesim.ifmap_sram_kb},
        {"filter_sram_kb", c.scalesim.filter_sram_kb},
        {"ofmap_sram_kb", c.scalesim.ofmap_sram_kb},
        {"bandwidth_words_per_cycle", c.scalesim.bandwidth_words_per_cycle}}},
  };
}

}  // namespace npusim
