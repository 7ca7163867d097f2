// One request of LLM serving traffic: when it arrives and how many tokens it reads and writes. The one
// request concept of `npusim serve`, whether it comes from a request trace (traces/README.md) or a
// generator (traffic_generator.h).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace npusim {

struct ServeRequest {
  std::string id;              // from the trace, or "r<index>" when generated or not given
  double arrival_s = 0.0;      // seconds from the start of the run; non-decreasing over a trace
  uint64_t input_tokens = 1;   // prompt tokens, > 0
  uint64_t output_tokens = 1;  // tokens generated, > 0 (the first comes out of the prefill)
  int32_t priority = 0;        // lower is more urgent (vLLM's convention): queue order and preemption victims
  uint64_t line = 0;           // 1-based line in the trace it came from (0: generated), for errors
};

// Largest token count a request may give (per field): well past any model's context, small enough that
// sums over 10^7 requests cannot overflow.
inline constexpr uint64_t kMaxRequestTokens = 1ull << 24;

}  // namespace npusim
