// Reads a workload file whole (bytes), for the importers.
#pragma once

#include <string>

namespace npusim {

// The file's content; InputError(path, "", "cannot open " + what) when it cannot be opened.
std::string read_input_file(const std::string& path, const std::string& what);

}  // namespace npusim
