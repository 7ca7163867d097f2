// Writes result files all-or-nothing: a temp file beside the target, then rename.
#pragma once

#include <string>

namespace npusim {

// Creates parent directories as needed; throws InputError naming the path on failure.
void write_file_atomically(const std::string& path, const std::string& content);

}  // namespace npusim
