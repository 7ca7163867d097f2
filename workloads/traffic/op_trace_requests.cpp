#include "workloads/traffic/op_trace_requests.h"

#include <fmt/format.h>

#include "arch/spec/input_error.h"

namespace npusim {

std::vector<ServeRequest> serve_requests_from_op_trace(const std::vector<InferenceRequest>& requests,
                                                       const std::string& file) {
  std::vector<ServeRequest> out;
  for (size_t i = 0; i < requests.size(); ++i) {
    const InferenceRequest& r = requests[i];
    for (const auto& [field, value] : {std::pair{"input_tokens", r.input_tokens}, std::pair{"output_tokens", r.output_tokens}}) {
      if (value == 0 || value > kMaxRequestTokens)
        throw InputError(file, fmt::format("requests[{}].{}", i, field),
                         fmt::format("npusim serve needs an integer from 1 to {}", kMaxRequestTokens));
    }
    for (uint32_t k = 0; k < r.batch; ++k) {
      ServeRequest s;
      s.id = k == 0 ? r.id : fmt::format("{}.{}", r.id, k);
      s.arrival_s = static_cast<double>(r.arrival_ns) * 1e-9;
      s.input_tokens = r.input_tokens;
      s.output_tokens = r.output_tokens;
      out.push_back(std::move(s));
    }
  }
  if (out.empty()) throw InputError(file, "requests", "npusim serve needs a non-empty requests array");
  return out;
}

}  // namespace npusim
