// Reads a whole file as bytes.
#pragma once

#include <optional>
#include <string>

namespace npusim {

// The file's content; nullopt when it cannot be opened.
std::optional<std::string> read_text_file(const std::string& path);

}  // namespace npusim
