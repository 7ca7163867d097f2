#include "workloads/traffic/request_trace.h"

#include <fmt/format.h>

#include <climits>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "arch/spec/input_error.h"

namespace npusim {
namespace {

uint64_t token_field(const nlohmann::json& object, const char* key, const std::string& file,
                     const std::string& where) {
  if (!object.contains(key)) throw InputError(file, where, fmt::format("missing field {}", key));
  const nlohmann::json& value = object[key];
  if (!value.is_number_integer() || value.get<int64_t>() < 1 ||
      value.get<uint64_t>() > kMaxRequestTokens) {
    throw InputError(file, where,
                     fmt::format("{}: expected an integer from 1 to {}, got {}", key, kMaxRequestTokens,
                                 value.dump()));
  }
  return value.get<uint64_t>();
}

ServeRequest parse_line(const std::string& line, uint64_t number, const std::string& file) {
  const std::string where = fmt::format("line {}", number);
  const nlohmann::json object = nlohmann::json::parse(line, nullptr, false);
  if (object.is_discarded() || !object.is_object())
    throw InputError(file, where, "expected one JSON object per line");
  for (const auto& item : object.items()) {
    const std::string& key = item.key();
    if (key != "arrival_s" && key != "input_tokens" && key != "output_tokens" && key != "id" &&
        key != "priority") {
      throw InputError(file, where,
                       "unknown field " + key + "; expected arrival_s, input_tokens, output_tokens, id, priority");
    }
  }
  ServeRequest request;
  request.line = number;
  if (!object.contains("arrival_s") || !object["arrival_s"].is_number() ||
      !(object["arrival_s"].get<double>() >= 0.0) || !std::isfinite(object["arrival_s"].get<double>())) {
    throw InputError(file, where, "arrival_s: expected a finite number of seconds >= 0");
  }
  request.arrival_s = object["arrival_s"].get<double>();
  request.input_tokens = token_field(object, "input_tokens", file, where);
  request.output_tokens = token_field(object, "output_tokens", file, where);
  if (object.contains("id")) {
    if (!object["id"].is_string()) throw InputError(file, where, "id: expected a string");
    request.id = object["id"].get<std::string>();
  }
  if (object.contains("priority")) {
    const auto& priority = object["priority"];
    if (!priority.is_number_integer() || priority.get<int64_t>() < INT32_MIN || priority.get<int64_t>() > INT32_MAX)
      throw InputError(file, where, "priority: expected a 32-bit integer");
    request.priority = priority.get<int32_t>();
  }
  return request;
}

}  // namespace

std::vector<ServeRequest> parse_request_trace(const std::string& text, const std::string& file) {
  std::vector<ServeRequest> requests;
  std::istringstream in(text);
  std::string line;
  uint64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    ServeRequest request = parse_line(line, number, file);
    if (!requests.empty() && request.arrival_s < requests.back().arrival_s) {
      throw InputError(file, fmt::format("line {}", number),
                       fmt::format("arrival_s {} is before the previous request's {}; arrivals must be sorted",
                                   request.arrival_s, requests.back().arrival_s));
    }
    if (request.id.empty()) request.id = fmt::format("r{}", requests.size());
    requests.push_back(std::move(request));
  }
  if (requests.empty()) throw InputError(file, "", "no requests: expected one JSON object per line");
  return requests;
}

std::vector<ServeRequest> read_request_trace(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "", "cannot open the request trace");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_request_trace(text.str(), path);
}

std::string format_request_trace(const std::vector<ServeRequest>& requests) {
  std::string out;
  for (const ServeRequest& request : requests) {
    nlohmann::ordered_json line = {{"id", request.id},
                                   {"arrival_s", request.arrival_s},
                                   {"input_tokens", request.input_tokens},
                                   {"output_tokens", request.output_tokens}};
    if (request.priority != 0) line["priority"] = request.priority;
    out += line.dump() + "\n";
  }
  return out;
}

}  // namespace npusim
