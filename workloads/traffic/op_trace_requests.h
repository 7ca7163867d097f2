// The op trace's `requests` array (traces/README.md) as serving requests: one request concept for both
// formats. `npusim serve --traffic x.json` reads an op trace's requests; `.jsonl` is a request trace.
#pragma once

#include <string>
#include <vector>

#include "workloads/ir/operator.h"
#include "workloads/traffic/serve_request.h"

namespace npusim {

// arrival_ns -> arrival_s; a request of batch b becomes b requests (ids "<id>" then "<id>.1", ...).
// A request without input_tokens or output_tokens is an InputError at `file`: requests[i].
std::vector<ServeRequest> serve_requests_from_op_trace(const std::vector<InferenceRequest>& requests,
                                                       const std::string& file);

}  // namespace npusim
