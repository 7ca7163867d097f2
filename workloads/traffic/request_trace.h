// Request traces for `npusim serve`: JSON Lines, one request object per line (traces/README.md,
// schema traces/npusim-requests.schema.json).
#pragma once

#include <string>
#include <vector>

#include "workloads/traffic/serve_request.h"

namespace npusim {

// Parses `text` (the contents of `file`). Blank lines are skipped. Each other line must be an object with
// arrival_s (number >= 0, non-decreasing), input_tokens and output_tokens (integers 1..2^24), and
// optionally id (string) and priority (integer). Anything else throws InputError(file, "line N", ...).
std::vector<ServeRequest> parse_request_trace(const std::string& text, const std::string& file);

// Reads and parses a trace file; a missing file is an InputError naming it.
std::vector<ServeRequest> read_request_trace(const std::string& path);

// The requests as JSON Lines in the same format (ids, arrivals with full precision).
std::string format_request_trace(const std::vector<ServeRequest>& requests);

}  // namespace npusim
