// Serve points: design points that run `npusim serve` instead of `npusim run`, in sweep specs and the
// regression suite. The spec form is {"serve": {"model": "llama3.1-8b:layers=2", "rate": 5, ...}}: each
// key is an `npusim serve` option with '_' for '-' (true switches a flag on); npu, set, dtype and gpu
// come from the point. A serve point's workload text is its arguments, "serve --model ... --rate 5", so
// it shows in the workload column and is part of the point id like any workload.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace npusim {

bool is_serve_workload(const std::string& workload);

// Validates the object at `field` of `file` (unknown keys, types, whitespace in values) and returns its
// workload text. `resolve_file` maps a file named in it (--traffic) to the path a worker opens.
std::string parse_serve_point(const nlohmann::json& json, const std::string& file, const std::string& field,
                              const std::function<std::string(const std::string&)>& resolve_file);

// The `npusim serve` arguments of a serve workload text (after "serve"), and its model.
std::vector<std::string> serve_point_arguments(const std::string& workload);
std::string serve_point_model(const std::string& workload);

}  // namespace npusim
