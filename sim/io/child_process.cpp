#include "sim/io/child_process.h"

#include <filesystem>

namespace npusim {

std::string self_executable() { return std::filesystem::read_symlink("/proc/self/exe").string(); }

std::vector<char*> exec_argv(const std::vector<std::string>& argv) {
  std::vector<char*> raw;
  for (const auto& arg : argv) raw.push_back(const_cast<char*>(arg.c_str()));
  raw.push_back(nullptr);
  return raw;
}

}  // namespace npusim
