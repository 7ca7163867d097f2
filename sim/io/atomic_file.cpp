#include "sim/io/atomic_file.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "arch/spec/input_error.h"

namespace npusim {
namespace fs = std::filesystem;

void write_file_atomically(const std::string& path, const std::string& content) {
  const fs::path target(path);
  std::error_code error;
  if (target.has_parent_path()) fs::create_directories(target.parent_path(), error);
  if (error) throw InputError(path, "", "cannot create directory: " + error.message());
  // The pid keeps concurrent writers (sweep workers) from sharing a temp file.
  const fs::path temp = target.string() + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << content;
    out.flush();
    if (!out) {
      fs::remove(temp, error);
      throw InputError(path, "", "cannot write file");
    }
  }
  fs::rename(temp, target, error);
  if (error) {
    fs::remove(temp, error);
    throw InputError(path, "", "cannot rename temporary file into place");
  }
}

}  // namespace npusim
