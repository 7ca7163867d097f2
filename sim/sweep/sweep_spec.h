// Sweep specs: a base NPU config, axes over dotted config paths (cartesian product of groups, each
// group one axis or several zipped ones), workloads and constraints, expanded into design points.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace npusim {

// One column of a sweep: a dotted config path ("npu.sram.banks") or a run option ("batch", "dtype").
struct SweepAxis {
  std::string path;
  std::vector<nlohmann::json> values;
  std::string field;  // where it sits in the spec, for errors: "axes[1].zip[0]"
};

// Axes in a group advance together (zip); groups multiply (cartesian product).
struct AxisGroup {
  std::vector<SweepAxis> axes;
  size_t size() const { return axes.front().values.size(); }
};

// A bound on a resolved config field ("npu.sram.capacity_bytes") or on a derived quantity
// ("macs" = rows * cols * cores, "total_sram_bytes" = capacity_bytes * cores; cores = 1 if absent).
struct SweepConstraint {
  std::string path;     // exactly one of path and derived is set
  std::string derived;  // "macs" or "total_sram_bytes"
  std::optional<double> min;
  std::optional<double> max;
  std::string field;  // "constraints[0]"
};

struct SweepSpec {
  std::string file;  // the spec file, for errors
  std::string name;
  std::string npu;                 // preset name or config file (relative paths: from the spec's folder)
  std::vector<std::string> fixed;  // "npu.x=v" applied to every point before the axes
  std::vector<AxisGroup> groups;
  std::vector<std::string> workloads;  // run's --workload syntax: "gemm:m=64,n=64,k=64"
  uint32_t batch = 0;                  // 0: each workload's default
  std::string dtype;
  std::string gpu;  // GPU baseline preset, passed as --gpu when `npusim run` has it
  std::vector<SweepConstraint> constraints;
};

// What one worker runs: `npusim run --npu NPU --set ... --workload W [--batch] [--dtype] [--gpu]`.
struct PointRequest {
  std::string npu;
  std::vector<std::string> overrides;
  std::string workload;
  uint32_t batch = 0;
  std::string dtype;
  std::string gpu;
};

struct SweepPoint {
  size_t index = 0;  // position in the expansion (after constraints)
  std::string id;    // stable hash of the resolved settings: resumes and dedupes by it
  PointRequest request;
  nlohmann::ordered_json axes;  // {"workload": ..., "npu.array.rows": 32, ...} in column order
};

// Parses and validates a spec file (unknown keys, types, empty axes); throws InputError naming the field.
SweepSpec load_sweep_spec(const std::string& path);
SweepSpec parse_sweep_spec(const nlohmann::json& document, const std::string& file);

// A multi-chip plan option as an axis (tp, pp, ep, dp, system): it applies to serve points.
inline bool is_plan_axis(const std::string& path) {
  return path == "tp" || path == "pp" || path == "ep" || path == "dp" || path == "system";
}

// The axis column names of a spec in order: "workload" first, then each axis path.
std::vector<std::string> axis_columns(const SweepSpec& spec);

}  // namespace npusim
