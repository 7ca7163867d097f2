#include "arch/spec/unit_limits.h"

#include <cmath>
#include <sstream>

namespace npusim {
namespace {

struct UnitRow {
  const char* unit;
  UnitLimit limit;
};

constexpr double kKi = 1024.0;
constexpr double kTi = kKi * kKi * kKi * kKi;

// Wide enough for any chip in the field (a wafer-scale part has ~1e6 cores at ~1 GHz, 44 GB of SRAM),
// narrow enough that sizes and cycle counts stay far from integer overflow in the models.
constexpr UnitRow kUnitRows[] = {
    {"", {0, 65536, "counts up to 65536"}},
    {"MHz", {1, 100000, "a clock from 1 MHz to 100 GHz"}},
    {"bytes", {0, kTi, "up to 1 TiB per memory"}},
    {"kB", {0, kKi * kKi * kKi, "up to 1 TiB"}},
    {"PEs", {1, 16384, "arrays up to 16384 PEs a side"}},
    {"cycles", {0, 1e9, "latencies up to 1e9 cycles"}},
    {"ns", {0, 1e9, "latencies up to 1 s"}},
    {"GB/s", {0, 1e6, "up to 1 PB/s"}},
    {"bytes/cycle", {0, 1 << 20, "up to 1 MiB per cycle"}},
    {"elements/cycle", {0, 1 << 20, "up to 1 Mi elements per cycle"}},
    {"words/cycle", {0, 1 << 20, "up to 1 Mi words per cycle"}},
    {"nodes", {0, 65536, "up to 65536 nodes"}},
    {"nm", {1, 1000, "process nodes from 1 to 1000 nm"}},
    {"pJ", {0, 1e6, "up to 1 uJ per event"}},
    {"pJ/byte", {0, 1e6, "up to 1 uJ per byte"}},
    {"pJ/bit", {0, 1e6, "up to 1 uJ per bit"}},
    {"W", {0, 1e6, "up to 1 MW"}},
};

std::string number_text(double value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

}  // namespace

const UnitLimit* unit_limit(const std::string& unit) {
  for (const UnitRow& row : kUnitRows)
    if (unit == row.unit) return &row.limit;
  return nullptr;
}

std::string unit_limit_problem(const std::string& unit, double value) {
  const UnitLimit* limit = unit_limit(unit);
  if (limit == nullptr || (std::isfinite(value) && value >= limit->min && value <= limit->max)) return "";
  return "expected " + number_text(limit->min) + " to " + number_text(limit->max) + (unit.empty() ? "" : " ") + unit +
         " (" + limit->reason + "), got " + number_text(value);
}

}  // namespace npusim
