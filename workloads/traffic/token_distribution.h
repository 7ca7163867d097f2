// Token-length distributions for generated serving traffic, parsed from the flag text:
//   fixed:N   uniform:A:B (inclusive)   normal:mean=M,std=S   lognormal:mean=M,sigma=S   csv:FILE:COLUMN
// lognormal's `mean` is the distribution's mean (mu = ln(mean) - sigma^2 / 2). Samples are rounded to
// integers and clamped to [1, kMaxRequestTokens]; csv draws uniformly from the column's values.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace npusim {

struct TokenDistribution {
  enum class Kind { kFixed, kUniform, kNormal, kLognormal, kEmpirical } kind = Kind::kFixed;
  double a = 1.0;                // fixed N, uniform low, normal/lognormal mean
  double b = 1.0;                // uniform high, normal std, lognormal sigma
  std::vector<uint64_t> values;  // csv column
  std::string text;              // as given, for reports
};

// `flag` names the option in errors ("--input-tokens"). Bad text or parameters throw InputError.
TokenDistribution parse_token_distribution(const std::string& text, const std::string& flag);

// One sample, consuming draws from `rng` in a fixed order (deterministic under a seed).
uint64_t sample_tokens(const TokenDistribution& distribution, std::mt19937_64& rng);

// A uniform double in [0, 1) from 53 random bits (the same on every standard library).
double uniform01(std::mt19937_64& rng);
// A standard normal draw by Box-Muller (two uniforms per draw).
double standard_normal(std::mt19937_64& rng);

}  // namespace npusim
