// A command's result files (result.json with layers.csv or requests.csv, ...) replace the previous set in
// their folder as one unit: a kill at any point leaves either the old set or the new one, never a mix.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "sim/io/atomic_file.h"

namespace npusim {

// name (a plain file name) -> content.
using ResultFiles = std::vector<std::pair<std::string, std::string>>;
// name -> a writer that renders the content in chunks (for results too large to hold as one string).
using StreamedResultFiles = std::vector<std::pair<std::string, ContentWriter>>;

// Builds the new folder beside dir (`.NAME.staging.PID`: the new files, fsynced, plus every other entry
// dir already holds), then swaps it with dir in one renameat2(RENAME_EXCHANGE) and removes the old one.
// Where the file system cannot exchange, dir is moved aside and the new one renamed in: for that
// instant there is no set, never a mixed one. Stale staging folders of killed writers are removed.
// Throws InputError naming the path and the OS reason.
void write_result_set(const std::string& dir, const ResultFiles& files);
void write_streamed_result_set(const std::string& dir, const StreamedResultFiles& files);

}  // namespace npusim
