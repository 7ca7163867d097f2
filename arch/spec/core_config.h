// The parts of one NPU core — MAC array, scratchpad SRAM, DMA engine, vector unit — each a plain struct
// whose fields are declared once in its fields() table (what the parser, --print and the README use).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "arch/spec/config_field_ops.h"
#include "arch/spec/dtype.h"
#include "arch/spec/units.h"

namespace npusim {

enum class Dataflow : uint8_t { kOutputStationary, kWeightStationary, kInputStationary };
inline constexpr const char* kDataflowNames[] = {"os", "ws", "is"};  // in enum order
const char* dataflow_name(Dataflow dataflow);

struct ArrayConfig {
  uint32_t rows = 32;
  uint32_t cols = 32;
  uint32_t count = 1;
  Dataflow dataflow = Dataflow::kWeightStationary;
  bool overlap_folds = true;
  std::vector<DType> dtypes{DType::kInt8};
  std::map<DType, double> macs_per_pe_cycle;  // absent dtype: 1
  static constexpr auto fields();
  // MACs one PE completes per cycle on `dtype` operands (macs_per_pe_cycle, default 1).
  double rate_of(DType dtype) const {
    const auto it = macs_per_pe_cycle.find(dtype);
    return it == macs_per_pe_cycle.end() ? 1.0 : it->second;
  }
};
// A macs_per_pe_cycle entry for a type the array does not support would silently do nothing: rejected.
void check_array_rates(ObjectReader& reader, ArrayConfig& array);

constexpr auto ArrayConfig::fields() {
  return std::array{
      field<&ArrayConfig::rows>("rows", "PEs", "rows of the MAC array").positive(),
      field<&ArrayConfig::cols>("cols", "PEs", "columns of the MAC array").positive(),
      field<&ArrayConfig::count>("count", "arrays",
                                 "identical MAC arrays per core sharing its SRAM (TPU v4: 4 MXUs); the "
                                 "folds of a tile are spread over them")
          .positive(),
      field<&ArrayConfig::dataflow>("dataflow", "", "output-, weight- or input-stationary")
          .one_of(kDataflowNames),
      field<&ArrayConfig::overlap_folds>(
          "overlap_folds", "",
          "hide the next fold's fill under the previous fold's drain, as "
          "real arrays do when operands are ready (SCALE-Sim mode never does)"),
      field<&ArrayConfig::dtypes>("dtypes", "", "supported operand types; the first is the default"),
      field<&ArrayConfig::macs_per_pe_cycle>(
          "macs_per_pe_cycle", "MACs/cycle",
          "per operand type, MACs a PE completes per cycle (absent: 1; bf16 at half the int8 rate: 0.5)")
          .positive()
          .keyed_by(dtype_names)
          .then(check_array_rates),
  };
}

struct SramConfig {
  Bytes capacity_bytes = 2 * kMiB;
  uint32_t banks = 16;
  uint32_t bank_width_bytes = 64;
  Cycles latency_cycles = 2;
  static constexpr auto fields();
};
constexpr auto SramConfig::fields() {
  return std::array{
      field<&SramConfig::capacity_bytes>("capacity_bytes", "bytes", "unified scratchpad per core").positive(),
      field<&SramConfig::banks>("banks", "", "banks of the scratchpad").positive(),
      field<&SramConfig::bank_width_bytes>("bank_width_bytes", "bytes", "bytes per bank per cycle")
          .positive(),
      field<&SramConfig::latency_cycles>("latency_cycles", "cycles", "access latency"),
  };
}

struct DmaConfig {
  uint32_t max_outstanding = 8;
  Cycles setup_cycles = 16;
  uint32_t bytes_per_cycle = 64;
  static constexpr auto fields();
};
constexpr auto DmaConfig::fields() {
  return std::array{
      field<&DmaConfig::max_outstanding>("max_outstanding", "", "descriptors in flight per direction")
          .positive(),
      field<&DmaConfig::setup_cycles>("setup_cycles", "cycles", "descriptor decode before the first request"),
      field<&DmaConfig::bytes_per_cycle>("bytes_per_cycle", "bytes/cycle", "engine port width").positive(),
  };
}

struct VectorConfig {
  uint32_t lanes = 64;
  Cycles latency_cycles = 8;
  bool depthwise_on_vector = true;
  static constexpr auto fields();
};
constexpr auto VectorConfig::fields() {
  return std::array{
      field<&VectorConfig::lanes>("lanes", "elements/cycle", "elements per cycle for a one-op element")
          .positive(),
      field<&VectorConfig::latency_cycles>("latency_cycles", "cycles",
                                           "pipeline depth, paid once per vector command"),
      field<&VectorConfig::depthwise_on_vector>(
          "depthwise_on_vector", "", "run depthwise convolution on the vector unit, as real NPUs do"),
  };
}

}  // namespace npusim
