#include "workloads/traffic/token_distribution.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>

#include "arch/spec/input_error.h"
#include "workloads/traffic/serve_request.h"

namespace npusim {
namespace {

constexpr const char* kForms =
    "fixed:N, uniform:A:B, normal:mean=M,std=S, lognormal:mean=M,sigma=S or csv:FILE:COLUMN";

double parse_number(const std::string& text, const std::string& flag, const std::string& what) {
  size_t used = 0;
  double value = 0.0;
  try {
    value = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used == 0 || used != text.size() || !std::isfinite(value))
    throw InputError("<cli>", flag, fmt::format("{}: expected a number, got '{}'", what, text));
  return value;
}

// "mean=300,sigma=0.8" -> {mean: 300, sigma: 0.8}, exactly the keys `keys`.
std::map<std::string, double> parse_keyed(const std::string& text, const std::vector<std::string>& keys,
                                          const std::string& flag) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    const size_t eq = item.find('=');
    const std::string key = item.substr(0, eq);
    if (eq == std::string::npos || std::find(keys.begin(), keys.end(), key) == keys.end() || out.count(key))
      throw InputError("<cli>", flag, fmt::format("'{}': expected {}=..,{}=..", text, keys[0], keys[1]));
    out[key] = parse_number(item.substr(eq + 1), flag, key);
  }
  if (out.size() != keys.size())
    throw InputError("<cli>", flag, fmt::format("'{}': expected {}=..,{}=..", text, keys[0], keys[1]));
  return out;
}

std::vector<uint64_t> read_csv_column(const std::string& file, const std::string& column, const std::string& flag) {
  std::ifstream in(file);
  if (!in) throw InputError(file, "", "cannot open the token-length CSV (" + flag + ")");
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  std::istringstream cells(line);
  for (std::string cell; std::getline(cells, cell, ',');) header.push_back(cell.substr(0, cell.find('\r')));
  const auto at = std::find(header.begin(), header.end(), column);
  if (at == header.end()) throw InputError(file, "line 1", "no column named '" + column + "'");
  const size_t index = static_cast<size_t>(at - header.begin());
  std::vector<uint64_t> values;
  for (uint64_t number = 2; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::istringstream row(line);
    std::string cell;
    for (size_t k = 0; k <= index && std::getline(row, cell, ','); ++k) {
    }
    const double value = parse_number(cell.substr(0, cell.find('\r')), flag, fmt::format("{}: line {}", file, number));
    if (value < 1 || value > static_cast<double>(kMaxRequestTokens) || value != std::floor(value))
      throw InputError(file, fmt::format("line {}", number),
                       fmt::format("{}: expected an integer from 1 to {}", column, kMaxRequestTokens));
    values.push_back(static_cast<uint64_t>(value));
  }
  if (values.empty()) throw InputError(file, column, "the column has no values");
  return values;
}

void require(bool ok, const std::string& flag, const std::string& text, const std::string& what) {
  if (!ok) throw InputError("<cli>", flag, fmt::format("'{}': {}", text, what));
}

}  // namespace

TokenDistribution parse_token_distribution(const std::string& text, const std::string& flag) {
  TokenDistribution d;
  d.text = text;
  const size_t colon = text.find(':');
  const std::string kind = text.substr(0, colon);
  const std::string rest = colon == std::string::npos ? "" : text.substr(colon + 1);
  const double max_tokens = static_cast<double>(kMaxRequestTokens);
  if (kind == "fixed") {
    d.a = d.b = parse_number(rest, flag, "fixed:N");
    require(d.a >= 1 && d.a <= max_tokens && d.a == std::floor(d.a), flag, text, "N must be an integer from 1 to 2^24");
  } else if (kind == "uniform") {
    d.kind = TokenDistribution::Kind::kUniform;
    const size_t second = rest.find(':');
    require(second != std::string::npos, flag, text, "expected uniform:A:B");
    d.a = parse_number(rest.substr(0, second), flag, "A");
    d.b = parse_number(rest.substr(second + 1), flag, "B");
    require(d.a >= 1 && d.a <= d.b && d.b <= max_tokens && d.a == std::floor(d.a) && d.b == std::floor(d.b), flag,
            text, "expected integers 1 <= A <= B <= 2^24");
  } else if (kind == "normal" || kind == "lognormal") {
    const bool log = kind == "lognormal";
    d.kind = log ? TokenDistribution::Kind::kLognormal : TokenDistribution::Kind::kNormal;
    const auto keyed = parse_keyed(rest, {"mean", log ? "sigma" : "std"}, flag);
    d.a = keyed.at("mean");
    d.b = keyed.at(log ? "sigma" : "std");
    require(d.a >= 1 && d.a <= max_tokens, flag, text, "mean must be from 1 to 2^24");
    require(d.b >= 0 && d.b <= (log ? 4.0 : max_tokens), flag, text,
            log ? "sigma must be from 0 to 4" : "std must be >= 0");
  } else if (kind == "csv") {
    d.kind = TokenDistribution::Kind::kEmpirical;
    const size_t last = rest.rfind(':');
    require(last != std::string::npos && last > 0 && last + 1 < rest.size(), flag, text, "expected csv:FILE:COLUMN");
    d.values = read_csv_column(rest.substr(0, last), rest.substr(last + 1), flag);
  } else {
    throw InputError("<cli>", flag, fmt::format("'{}': expected {}", text, kForms));
  }
  return d;
}

double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

double standard_normal(std::mt19937_64& rng) {
  const double u1 = 1.0 - uniform01(rng);  // (0, 1]: log is finite
  const double u2 = uniform01(rng);
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
}

uint64_t sample_tokens(const TokenDistribution& d, std::mt19937_64& rng) {
  double value = d.a;
  switch (d.kind) {
    case TokenDistribution::Kind::kFixed:
      break;
    case TokenDistribution::Kind::kUniform:
      value = d.a + std::floor(uniform01(rng) * (d.b - d.a + 1.0));
      break;
    case TokenDistribution::Kind::kNormal:
      value = std::round(d.a + d.b * standard_normal(rng));
      break;
    case TokenDistribution::Kind::kLognormal:
      value = std::round(std::exp(std::log(d.a) - d.b * d.b / 2.0 + d.b * standard_normal(rng)));
      break;
    case TokenDistribution::Kind::kEmpirical:
      return d.values[static_cast<size_t>(uniform01(rng) * static_cast<double>(d.values.size()))];
  }
  return static_cast<uint64_t>(std::clamp(value, 1.0, static_cast<double>(kMaxRequestTokens)));
}

}  // namespace npusim
