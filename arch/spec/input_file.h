// Reads an input file whole (bytes): configs, traces, topologies, models.
#pragma once

#include <cstdint>
#include <string>

namespace npusim {

// Inputs larger than this are refused before reading (a 100,000-operator trace is ~20 MB).
constexpr uint64_t kMaxInputFileBytes = uint64_t{1} << 30;

// The file's content. InputError(path, "", why) when it is missing, a directory, a FIFO or device (which
// could block or never end), larger than kMaxInputFileBytes, or cannot be read; `what` names the input
// ("trace", "ONNX model") and why carries the OS reason.
std::string read_input_file(const std::string& path, const std::string& what);

}  // namespace npusim
